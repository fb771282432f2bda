/**
 * IGM's `optimize` (data assimilation) with the SIA as flow model: on its
 * first update, invert the ice thickness (and optionally the sliding
 * coefficient) from the state's observations — `usurfobs` (else `usurf`),
 * `icemask`, and when present `uvelsurfobs`/`vvelsurfobs`, `thkobs`, `smb`
 * (the flux-divergence target smb − dhdt, from any SMB module listed
 * before it), `dhdt`, `thkinit`, `slidingco` — then set thk, usurf and
 * topg = usurf − thk for the modules after it. Library: sim/invert.
 */
import { resolve } from 'node:path';
import { log } from '../../../core/log.js';
import { invertThickness } from '../../invert/invert.js';
import type { InversionData } from '../../invert/objective.js';
import type { InversionOptions } from '../../invert/options.js';
import { writeInversion } from '../../invert/write.js';
import { readObservations } from '../../invert/read.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import { spacingOf } from './iceflow.js';

export type OptimizeParams = InversionOptions & { write: boolean; obs_file: string | null; smb_field: string; apparent_mb: boolean };

const OPTIONAL = ['usurfobs', 'uvelsurfobs', 'vvelsurfobs', 'thkobs', 'smb', 'dhdt', 'thkinit', 'slidingco'];

export const fields = (cfg: SimConfig) => {
  const smb = params<OptimizeParams>(cfg, 'processes', 'optimize').smb_field;
  return { reads: ['usurf', 'icemask'], optional: smb === 'smb' ? OPTIONAL : [...OPTIONAL, smb], writes: ['thk', 'usurf', 'topg', 'usurfobs', 'slidingco'] };
};

export async function initialize(cfg: SimConfig, state: SimState): Promise<void> {
  const p = params<OptimizeParams>(cfg, 'processes', 'optimize');
  // observations from obs_file stay out of the state's fields: NaN marks a missing
  // observation there, which the engine's field checks would (rightly) reject in a model field
  const files: Record<string, Float32Array> = {};
  if (p.obs_file !== null && p.obs_file !== '') {
    const obs = await readObservations(resolve(state.baseDir, p.obs_file), state.grid);
    for (const [name, f] of Object.entries(obs.fields)) {
      if (name !== 'usurf' && name !== 'icemask') files[name] = f.data; // the input's own; usurfobs overrides the surface
    }
  }
  state.extra.optimize = { done: false, files };
}

/** The observations (obs_file first, then state fields) as inversion data. */
export function inversionData(state: SimState, files: Record<string, Float32Array> = {}, smbField = 'smb'): InversionData {
  const get = (n: string) => files[n] ?? (state.has(n) ? state.get(n).data : undefined);
  return {
    grid: spacingOf(state),
    usurfobs: get('usurfobs') ?? state.get('usurf').data,
    icemask: state.get('icemask').data,
    uvelsurfobs: get('uvelsurfobs'),
    vvelsurfobs: get('vvelsurfobs'),
    thkobs: get('thkobs'),
    smb: get(smbField),
    dhdt: get('dhdt'),
    thkinit: get('thkinit'),
    // a slidingco field of zeros (no sliding) is no start value: leave it to options.slidingco
    slidingco: get('slidingco')?.some((c) => c > 0) ? get('slidingco') : undefined,
  };
}

/**
 * The "apparent" mass balance (Farinotti et al. 2009; OGGM): smb shifted by a
 * constant so that smb − dhdt averages to zero over the mask — the flux
 * divergence of a glacier in steady state with its climate.
 */
export function apparentMb(smb: ArrayLike<number>, icemask: ArrayLike<number>, dhdt?: ArrayLike<number>): Float32Array {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < smb.length; k++) {
    if (icemask[k] > 0.5) {
      sum += smb[k] - (dhdt?.[k] ?? 0);
      n++;
    }
  }
  const shift = n > 0 ? sum / n : 0;
  return Float32Array.from(smb, (v) => v - shift);
}

export async function update(cfg: SimConfig, state: SimState): Promise<void> {
  const x = state.extra.optimize as { done: boolean; files: Record<string, Float32Array> };
  if (x.done) return;
  x.done = true;
  const p = params<OptimizeParams>(cfg, 'processes', 'optimize');
  const { write, obs_file: _f, smb_field: smbField, apparent_mb: apparent, ...opts } = p;
  // keep the observed surface: usurf becomes the fitted one
  if (!state.has('usurfobs')) state.set(state.get('usurf').clone('usurfobs'));
  const d = inversionData(state, x.files, smbField);
  if (apparent && d.smb) d.smb = apparentMb(d.smb, d.icemask, d.dhdt);
  const t0 = Date.now();
  const r = invertThickness(d, { ...opts, onIter: (it, c) => {
    if (it % 100 === 0) log.info(`optimize: iteration ${it}, cost ${c.total.toPrecision(4)}`);
  } });
  log.info(`optimize: ${r.iterations} L-BFGS iterations (${r.reason}) in ${((Date.now() - t0) / 1000).toFixed(1)} s; volume ${(r.volume / 1e9).toFixed(4)} km³, mean thickness ${r.meanThk.toFixed(1)} m`);
  state.ensure('thk').data.set(r.thk);
  state.ensure('usurf').data.set(r.usurf);
  state.ensure('topg').data.set(r.topg);
  if (r.slidingco) state.ensure('slidingco').data.set(r.slidingco);
  if (write) await writeInversion(state.outDir, state.grid, r, d);
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
