/**
 * Bueler et al. (2005) similarity solution as an input: a flat bed at 0 m and
 * the exact thickness H(t0, r) on a square grid centred on the dome.
 * Shared by the `bueler_smb` process and the `bueler_error` output.
 */
import { makeGrid } from 'nunatak/core/field/grid.ts';
import { buelerSolution, type BuelerSolution } from 'nunatak/sim/physics/bueler.ts';
import type { SimConfig } from 'nunatak/sim/contract.ts';
import type { SimState } from 'nunatak/sim/state.ts';

export interface BuelerParams {
  test: 'B' | 'C';
  cells: number;
  half_width: number;
  H0: number;
  R0: number;
}

/** The exact solution for this config (A from processes.iceflow.init_arrhenius). */
export function solution(cfg: SimConfig): BuelerSolution {
  const p = (cfg.inputs as Record<string, unknown>).bueler as BuelerParams;
  const A = ((cfg.processes as Record<string, Record<string, number>>).iceflow ?? {}).init_arrhenius ?? 100;
  return buelerSolution({ test: p.test, H0: p.H0, R0: p.R0, A });
}

/** Distance (m) of cell k from the dome centre. */
export function radius(state: SimState, k: number): number {
  const g = state.grid;
  const c = (g.nx - 1) / 2;
  return Math.hypot(((k % g.nx) - c) * g.dx, (Math.floor(k / g.nx) - c) * g.dy);
}

export const fields = { writes: ['topg', 'thk', 'usurf'] };

export function run(cfg: SimConfig, state: SimState): void {
  const p = (cfg.inputs as Record<string, unknown>).bueler as BuelerParams;
  const dx = (2 * p.half_width) / (p.cells - 1);
  state.setGrid(makeGrid({ nx: p.cells, ny: p.cells, x0: -p.half_width, y0: -p.half_width, dx, dy: dx }));
  const sol = solution(cfg);
  const t0 = (cfg.processes as Record<string, Record<string, number>>).time.start;
  const thk = state.ensure('thk').data;
  state.ensure('topg'); // flat bed at 0 m
  const usurf = state.ensure('usurf').data;
  for (let k = 0; k < thk.length; k++) usurf[k] = thk[k] = sol.thk(t0, radius(state, k));
}
