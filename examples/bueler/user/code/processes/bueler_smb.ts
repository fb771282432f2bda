/** The exact accumulation of Bueler test C, M = λH/t (0 for test B), at each step's start. */
import type { SimConfig } from 'nunatak/sim/contract.ts';
import type { SimState } from 'nunatak/sim/state.ts';
import { radius, solution } from '../inputs/bueler.ts';

export const fields = { reads: ['thk'], writes: ['smb'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  state.ensure('smb');
}

export function update(cfg: SimConfig, state: SimState): void {
  const sol = solution(cfg);
  const smb = state.get('smb').data;
  for (let k = 0; k < smb.length; k++) smb[k] = sol.smb(state.t, radius(state, k));
}

export function finalize(): void {}
