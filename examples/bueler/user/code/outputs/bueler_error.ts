/**
 * Errors against the exact solution at every save, appended to
 * `bueler_errors.csv`: t (a), relative volume error, relative dome-thickness
 * error, largest |H − H_exact| (m).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimConfig } from 'nunatak/sim/contract.ts';
import type { SimState } from 'nunatak/sim/state.ts';
import { radius, solution } from '../inputs/bueler.ts';

export const fields = { reads: ['thk'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  writeFileSync(join(state.outDir, 'bueler_errors.csv'), 't_a,volume_rel_error,dome_rel_error,max_abs_error_m\n');
}

export function run(cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  const sol = solution(cfg);
  const thk = state.get('thk').data;
  const g = state.grid;
  let maxErr = 0;
  for (let k = 0; k < thk.length; k++) maxErr = Math.max(maxErr, Math.abs(thk[k] - sol.thk(state.t, radius(state, k))));
  const vol = state.volumeKm3() * 1e9;
  const dome = thk[((g.ny - 1) / 2) * g.nx + (g.nx - 1) / 2];
  const ve = Math.abs(vol - sol.volume(state.t)) / sol.volume(state.t);
  const de = Math.abs(dome - sol.dome(state.t)) / sol.dome(state.t);
  appendFileSync(join(state.outDir, 'bueler_errors.csv'), `${state.t},${ve},${de},${maxErr}\n`);
}
