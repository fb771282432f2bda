/**
 * Ice flow. Method `sia`: shallow-ice velocities on the staggered grid
 * (physics/sia.ts, Γ = 2A(ρg)ⁿ/(n+2), optional Weertman sliding), then IGM's
 * centre outputs ubar, vbar, uvelsurf, vvelsurf, velbar_mag, velsurf_mag.
 * The face velocities and the largest diffusivity / speed stay in
 * `state.extra.iceflow` for `time` (stability limits) and `thk` (fluxes).
 * Method `emulated` is reserved for the emulator face.
 */
import { NunatakError } from '../../../core/errors.js';
import { xFaceCount, yFaceCount, type GridSpacing } from '../../physics/constants.js';
import { siaCentreVelocities } from '../../physics/face-velocity.js';
import { siaFaceVelocities } from '../../physics/sia.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface IceflowParams {
  method: 'sia' | 'emulated';
  init_arrhenius: number;
  init_slidingco: number;
  exp_glen: number;
  exp_weertman: number;
  ice_density: number;
  gravity_cst: number;
}

/** What iceflow shares with `time` and `thk` (faces in m a⁻¹, D in m² a⁻¹). */
export interface IceflowShared {
  ux: Float32Array;
  vy: Float32Array;
  uxSurf: Float32Array;
  vySurf: Float32Array;
  /** Largest face diffusivity (m² a⁻¹); the diffusive step limit applies. */
  dmax: number;
  /** Largest face speed (m a⁻¹). */
  umax: number;
}

const OUT = ['ubar', 'vbar', 'uvelsurf', 'vvelsurf', 'velbar_mag', 'velsurf_mag'] as const;

export const fields = { reads: ['thk', 'usurf'], optional: ['arrhenius', 'slidingco'], writes: [...OUT] };

/** Grid spacing of the state for the kernels (dy must be positive: rows go north). */
export function spacingOf(state: SimState): GridSpacing {
  const g = state.grid;
  if (!(g.dy > 0) || !(g.dx > 0)) {
    throw new NunatakError('SHAPE', `the sim grid needs dx > 0 and dy > 0 (rows south to north), got dx = ${g.dx}, dy = ${g.dy}`, { hint: 'inputs flip north-up rasters; a user input must do the same' });
  }
  return { nx: g.nx, ny: g.ny, dx: g.dx, dy: g.dy };
}

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<IceflowParams>(cfg, 'processes', 'iceflow');
  if (p.method === 'emulated') {
    throw new NunatakError('CONFIG', "processes.iceflow.method = 'emulated' is not available yet: it comes with the emulator face", {
      hint: 'use method: sia for now',
    });
  }
  const sp = spacingOf(state);
  state.extra.iceflow = {
    ux: new Float32Array(xFaceCount(sp)),
    vy: new Float32Array(yFaceCount(sp)),
    uxSurf: new Float32Array(xFaceCount(sp)),
    vySurf: new Float32Array(yFaceCount(sp)),
    dmax: 0,
    umax: 0,
  } satisfies IceflowShared;
  for (const n of OUT) state.ensure(n);
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = params<IceflowParams>(cfg, 'processes', 'iceflow');
  const sp = spacingOf(state);
  const sh = state.extra.iceflow as IceflowShared;
  const thk = state.get('thk').data;
  const stats = siaFaceVelocities(sp, thk, state.get('usurf').data, {
    A: state.fields.arrhenius?.data ?? p.init_arrhenius,
    n: p.exp_glen,
    rho: p.ice_density,
    g: p.gravity_cst,
    slidingco: state.fields.slidingco?.data ?? p.init_slidingco,
    m: p.exp_weertman,
  }, sh);
  sh.dmax = stats.dmax;
  sh.umax = stats.umax;
  const f = state.fields;
  siaCentreVelocities(sp, sh, thk, {
    ubar: f.ubar.data, vbar: f.vbar.data, uvelsurf: f.uvelsurf.data, vvelsurf: f.vvelsurf.data, velbar_mag: f.velbar_mag.data, velsurf_mag: f.velsurf_mag.data,
  });
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
