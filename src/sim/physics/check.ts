/**
 * Blow-up detection the engine calls after each step: the first NaN / ±Inf /
 * negative value of a field stops the run with the time step and location.
 */
import { NunatakError } from '../../core/errors.js';
import type { GridSpacing } from './constants.js';

/** Where and when a check runs (for the error message). */
export interface CheckContext {
  /** Model time (a). */
  t: number;
  /** Iteration number. */
  it: number;
  /** Step just taken (a). */
  dt?: number;
  /** x, y of cell (0, 0)'s centre (m), to report map coordinates. */
  x0?: number;
  y0?: number;
  /** The module that just wrote the field (named in the message). */
  writer?: string;
  /** Replaces the default hint (lower the time step). */
  hint?: string;
}

/**
 * Throws NunatakError('NUMERIC') at the first non-finite value of `data`, or
 * the first negative one when `nonNegative` (thickness). O(n), no allocation.
 */
export function checkField(name: string, data: Float32Array, grid: GridSpacing, ctx: CheckContext, nonNegative = false): void {
  const n = data.length;
  for (let k = 0; k < n; k++) {
    const v = data[k];
    // v − v is NaN for NaN and ±Inf, 0 otherwise: one branch in the fast path
    if (v - v !== 0 || (nonNegative && v < 0)) {
      const j = Math.floor(k / grid.nx);
      const i = k - j * grid.nx;
      const what = Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? String(v) : `negative (${v})`;
      const where = ctx.x0 !== undefined && ctx.y0 !== undefined ? `, x = ${ctx.x0 + i * grid.dx} m, y = ${ctx.y0 + j * grid.dy} m` : '';
      const step = ctx.dt !== undefined ? `, dt = ${ctx.dt} a` : '';
      const by = ctx.writer ? ` after ${ctx.writer} ran` : '';
      throw new NunatakError('NUMERIC', `${name} is ${what} at row j = ${j}, column i = ${i}${where}${by} (iteration ${ctx.it}, t = ${ctx.t} a${step})`, {
        hint: ctx.hint ?? 'the step was unstable: lower processes.time.cfl or step_max, or check the inputs (thk, topg, smb) near that cell',
      });
    }
  }
}

/** checkField for ice thickness: NaN, Inf and negative values are errors. */
export function checkThickness(thk: Float32Array, grid: GridSpacing, ctx: CheckContext): void {
  checkField('thk', thk, grid, ctx, true);
}

/** Throws NunatakError('SHAPE') unless `arr` holds exactly `n` values; `name` is the variable. */
export function expectLength(fn: string, name: string, arr: ArrayLike<number> | undefined | null, n: number): void {
  if (arr === undefined || arr === null) return;
  if (arr.length !== n) {
    throw new NunatakError('SHAPE', `${fn}: '${name}' has ${arr.length} values, expected ${n}`, {
      hint: 'cell fields are ny·nx, x-face fields ny·(nx+1), y-face fields (ny+1)·nx',
    });
  }
}
