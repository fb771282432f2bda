/**
 * Mass conservation (IGM `thk`): H ← H + dt (smb − ∇·(ū H)) with an upwind,
 * slope-limited finite-volume flux (physics/transport.ts), H ≥ 0 without
 * losing mass, then the flotation-aware surfaces usurf and lsurf. Uses the
 * iceflow's face velocities when present, else faces averaged from ubar/vbar.
 * The volume budget of every step is summed in `state.extra.thk`.
 */
import { centresToFaces } from '../../physics/face-velocity.js';
import { xFaceCount, yFaceCount } from '../../physics/constants.js';
import { updateSurface } from '../../physics/surface.js';
import { transportThickness, type Limiter } from '../../physics/transport.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import { spacingOf, type IceflowShared } from './iceflow.js';

export interface ThkParams {
  slope_type: Limiter;
  ratio_density: number;
  default_sealevel: number;
}

/** Volumes (m³) summed over the run so far. */
export interface ThkBudget {
  smb: number;
  clipped: number;
  outflow: number;
  next: Float32Array;
  ux?: Float32Array;
  vy?: Float32Array;
}

export const fields = { reads: ['thk', 'topg', 'ubar', 'vbar'], optional: ['smb'], writes: ['thk', 'usurf', 'lsurf'] };

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<ThkParams>(cfg, 'processes', 'thk');
  const n = state.grid.nx * state.grid.ny;
  state.extra.thk = { smb: 0, clipped: 0, outflow: 0, next: new Float32Array(n) } satisfies ThkBudget;
  state.ensure('lsurf');
  state.ensure('usurf');
  updateSurface(state.get('thk').data, state.get('topg').data, state.fields.usurf.data, p.default_sealevel, p.ratio_density, state.fields.lsurf.data);
}

export function update(cfg: SimConfig, state: SimState): void {
  if (state.dt <= 0) return;
  const p = params<ThkParams>(cfg, 'processes', 'thk');
  const sp = spacingOf(state);
  const b = state.extra.thk as ThkBudget;
  let ux: Float32Array;
  let vy: Float32Array;
  const sh = state.extra.iceflow as IceflowShared | undefined;
  if (sh) ({ ux, vy } = sh);
  else {
    ux = b.ux ??= new Float32Array(xFaceCount(sp));
    vy = b.vy ??= new Float32Array(yFaceCount(sp));
    centresToFaces(sp, state.get('ubar').data, state.get('vbar').data, ux, vy);
  }
  const thk = state.get('thk');
  const r = transportThickness(sp, thk.data, ux, vy, state.fields.smb?.data ?? null, state.dt, b.next, {
    limiter: p.slope_type, topg: state.get('topg').data, usurf: state.get('usurf').data, sealevel: p.default_sealevel, ratioDensity: p.ratio_density,
  });
  // swap buffers: the new thickness becomes the field's data
  const old = thk.data;
  thk.data = b.next;
  b.next = old;
  updateSurface(thk.data, state.get('topg').data, state.fields.usurf.data, p.default_sealevel, p.ratio_density, state.fields.lsurf.data);
  b.smb += r.smbVolume;
  b.clipped += r.clippedVolume;
  b.outflow += r.outflowVolume;
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
