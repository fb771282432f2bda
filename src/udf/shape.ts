/** Small shape helpers (C order). */
import { NunatakError } from '../core/errors.js';

export function prod(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function checkShape(shape: unknown, what: string, allowEmpty = false): number[] {
  if (!Array.isArray(shape) || (!allowEmpty && shape.length === 0) || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new NunatakError('SHAPE', `${what} must be an array of positive integers, got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

/** Multi-index of flat index `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return out;
}
