/** Shared comparison for emulator tests: a prediction against a reference. */
import assert from 'node:assert/strict';

/** max |y − ref| and the reference's scale (max |ref|); asserts equal lengths. */
export function maxDiff(y: ArrayLike<number>, ref: ArrayLike<number>): { maxd: number; scale: number } {
  assert.equal(y.length, ref.length);
  let scale = 0;
  let maxd = 0;
  for (let i = 0; i < y.length; i++) {
    scale = Math.max(scale, Math.abs(ref[i]));
    maxd = Math.max(maxd, Math.abs(y[i] - ref[i]));
  }
  return { maxd, scale };
}
