/** Copy rectangular sig sub-blocks between C-ordered arrays (with trailing extra elements). */
import type { TypedArray } from './dtype.js';

/**
 * Copy the region `origin`+`shape` of a `full`-shaped array (each element
 * `extra` wide) to/from a contiguous `shape`-shaped array. `toRegion` false:
 * full → compact; true: compact → full.
 */
export function copyRegion(
  full: TypedArray,
  fullShape: number[],
  origin: number[],
  shape: number[],
  compact: TypedArray,
  extra: number,
  toRegion: boolean,
  fullBase = 0,
  compactBase = 0,
): void {
  const nd = fullShape.length;
  const rowLen = shape[nd - 1] * extra;
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  const strides = new Array<number>(nd);
  strides[nd - 1] = extra;
  for (let d = nd - 2; d >= 0; d--) strides[d] = strides[d + 1] * fullShape[d + 1];
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  for (let r = 0; r < rows; r++) {
    let off = fullBase + origin[nd - 1] * extra;
    for (let d = 0; d < nd - 1; d++) off += (origin[d] + idx[d]) * strides[d];
    const c = compactBase + r * rowLen;
    if (toRegion) (full as Float32Array).set(compact.subarray(c, c + rowLen) as Float32Array, off);
    else (compact as Float32Array).set(full.subarray(off, off + rowLen) as Float32Array, c);
    for (let d = nd - 2; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}
