/**
 * Dynamic spin-up to the run's start (OGGM's "dynamic spin-up", here by a
 * temperature offset): on its first update — after `optimize` has set the
 * geometry, before the transient modules move it — find the offset dT (K)
 * added to clim.temp_bias for the years [spinup.start, time.start) such that
 * the experiment's own clim + smb_ti + iceflow + thk, started from the
 * current geometry on the current bed, leave a glacier whose length at
 * time.start is the starting length plus target_dl (from observed length
 * changes: dl(time.start) − dl(ref_year)). With `bias_end` the offset applies
 * only up to that year and the run's own climate carries the glacier on to
 * time.start (as OGGM's spin-up applies its bias only before the historical
 * run). thk and usurf then become that state; the run itself keeps
 * clim.temp_bias unchanged. Library: sim/spinup.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { log } from '../../../core/log.js';
import { readLengthChanges } from '../../climate/wgms.js';
import { solveDecreasing } from '../../spinup/bracket.js';
import { forwardRun, type ForwardResult } from '../../spinup/forward.js';
import { glacierLength, headCell } from '../../spinup/glacier-length.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import type { TimeParams } from './time.js';

export interface SpinupParams {
  start: number;
  observed: string | null;
  ref_year: number | null;
  target_dl: number | null;
  dt_range: number[];
  tol: number | null;
  dt_tol: number;
  max_runs: number;
  min_thk: number;
  out_of_reach: 'error' | 'closest';
  bias_end: number | null;
}

/** What the spin-up found (`state.extra.spinup`; also spinup.csv in the run folder). */
export interface SpinupResult {
  dT: number;
  /** Length (m) of the starting geometry, the target and the spun-up state. */
  length0: number;
  target: number;
  length: number;
  runs: { dT: number; length: number }[];
  seconds: number;
}

export const fields = { reads: ['thk', 'topg', 'usurf', 'icemask'], writes: ['thk', 'usurf'] };

/** The length change the spin-up must produce (m), from target_dl or the observed table. */
function targetChange(p: SpinupParams, start: number, baseDir: string): number {
  if (p.target_dl !== null) return p.target_dl;
  if (p.observed === null || p.ref_year === null) {
    throw new NunatakError('CONFIG', 'processes.spinup needs target_dl, or observed and ref_year', { hint: 'e.g. observed: hef_lengths.csv, ref_year: 2003 (the outline date)' });
  }
  const file = resolve(baseDir, p.observed);
  const obs = readLengthChanges(file);
  for (const y of [start, p.ref_year]) {
    if (!obs.has(y)) throw new NunatakError('INPUT', `processes.spinup.observed: ${file} has no length change for ${y} (${y === start ? 'processes.time.start' : 'processes.spinup.ref_year'})`);
  }
  return (obs.get(start) as number) - (obs.get(p.ref_year) as number);
}

function check(p: SpinupParams, start: number): void {
  const [lo, hi] = p.dt_range;
  if (!(p.dt_range.length === 2 && Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new NunatakError('CONFIG', `processes.spinup.dt_range = [${p.dt_range.join(', ')}]: expected [coldest, warmest] K with coldest < warmest`);
  if (p.bias_end !== null && !(p.bias_end > p.start && p.bias_end <= start)) throw new NunatakError('CONFIG', `processes.spinup.bias_end = ${p.bias_end}: expected a year after processes.spinup.start = ${p.start} and not after processes.time.start = ${start} (or null)`);
  if (!(p.start < start)) throw new NunatakError('CONFIG', `processes.spinup.start = ${p.start}: expected a year before processes.time.start = ${start}`);
  if (!(Number.isInteger(p.max_runs) && p.max_runs >= 2)) throw new NunatakError('CONFIG', `processes.spinup.max_runs = ${p.max_runs}: expected an integer ≥ 2`);
  if (!(p.dt_tol > 0)) throw new NunatakError('CONFIG', `processes.spinup.dt_tol = ${p.dt_tol}: expected > 0 K`);
  if (p.tol !== null && !(p.tol > 0)) throw new NunatakError('CONFIG', `processes.spinup.tol = ${p.tol}: expected > 0 m (or null = one cell)`);
}

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<SpinupParams>(cfg, 'processes', 'spinup');
  const start = params<TimeParams>(cfg, 'processes', 'time').start;
  check(p, start);
  state.extra.spinup = { done: false, dl: targetChange(p, start, state.baseDir) };
}

export async function update(cfg: SimConfig, state: SimState): Promise<void> {
  const x = state.extra.spinup as { done: boolean; dl: number };
  if (x.done) return;
  x.done = true;
  const p = params<SpinupParams>(cfg, 'processes', 'spinup');
  const start = params<TimeParams>(cfg, 'processes', 'time').start;
  const g = { nx: state.grid.nx, ny: state.grid.ny, dx: Math.abs(state.grid.dx), dy: Math.abs(state.grid.dy) };
  const mask = state.get('icemask').data;
  const head = headCell(state.get('thk').data, state.get('usurf').data, mask, p.min_thk);
  if (head < 0) throw new NunatakError('INPUT', `processes.spinup: no ice thicker than min_thk = ${p.min_thk} m inside icemask to start from`, { hint: 'list optimize (or an input with thk) before spinup' });
  const length0 = glacierLength(g, state.get('thk').data, mask, head, p.min_thk);
  const target = length0 + x.dl;
  const t0 = Date.now();
  const r = await solveDecreasing<ForwardResult>(async (dT) => {
    // OGGM-like: the offset grows the glacier up to bias_end, the run's own climate takes it on to time.start
    const split = p.bias_end ?? start;
    const grown = await forwardRun(cfg, state, p.start, split, dT);
    const f = split < start ? await forwardRun(cfg, state, split, start, 0, grown) : grown;
    // from the spun-up glacier's own head, as length_area measures the run from its first save
    const h = headCell(f.thk, f.usurf, mask, p.min_thk);
    const y = glacierLength(g, f.thk, mask, h < 0 ? head : h, p.min_thk);
    log.info(`spinup: dT = ${dT.toFixed(3)} K, ${p.start}–${start}: length ${y.toFixed(0)} m (target ${target.toFixed(0)} m), ${f.steps} steps`);
    return { y, data: f };
  }, { lo: p.dt_range[0], hi: p.dt_range[1], target, tol: p.tol ?? Math.max(g.dx, g.dy), xtol: p.dt_tol, maxEvals: p.max_runs });
  const runs = r.evals.map((e) => ({ dT: e.x, length: e.y }));
  if (r.outside) {
    const msg = `processes.spinup: the target length change ${x.dl.toFixed(0)} m (length ${target.toFixed(0)} m at ${start}) is out of reach with processes.spinup.dt_range = [${p.dt_range.join(', ')}] K: the spin-up from ${p.start} gives length changes ${(r.outside.min - length0).toFixed(0)} to ${(r.outside.max - length0).toFixed(0)} m`;
    if (p.out_of_reach === 'error') {
      throw new NunatakError('INPUT', msg, { hint: 'widen processes.spinup.dt_range, start the spin-up earlier (processes.spinup.start), check target_dl / observed / ref_year, or accept the closest end (processes.spinup.out_of_reach: closest)' });
    }
    log.warn(`${msg}; out_of_reach: closest keeps dT = ${r.best.x} K (length change ${(r.best.y - length0).toFixed(0)} m)`);
  } else if (!r.converged) {
    log.warn(`spinup: best length ${r.best.y.toFixed(0)} m misses the target ${target.toFixed(0)} m by more than the tolerance after ${r.evals.length} runs (dT = ${r.best.x.toFixed(3)} K kept)`);
  }
  state.get('thk').data.set(r.best.data.thk);
  state.get('usurf').data.set(r.best.data.usurf);
  const res: SpinupResult = { dT: r.best.x, length0, target, length: r.best.y, runs, seconds: (Date.now() - t0) / 1000 };
  state.extra.spinup = { ...x, result: res };
  log.info(`spinup: dT = ${res.dT.toFixed(3)} K → length ${res.length.toFixed(0)} m at ${start} (target ${target.toFixed(0)}, start geometry ${length0.toFixed(0)} m); ${runs.length} runs in ${res.seconds.toFixed(1)} s`);
  writeFileSync(join(state.outDir, 'spinup.csv'), ['dT_K,length_m,target_m,chosen', ...runs.map((e) => `${e.dT},${e.length.toFixed(0)},${target.toFixed(0)},${e.dT === res.dT ? 1 : 0}`)].join('\n') + '\n');
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
