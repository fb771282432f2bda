/** A dense float32 array with its C-order shape (the tensors a time loop exchanges). */
import { NunatakError } from '../core/errors.js';

export interface NdArray {
  data: Float32Array;
  shape: number[];
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Throws SHAPE unless `a.shape` equals `expected` (−1 matches any size). */
export function expectShape(a: NdArray, expected: readonly number[], what: string, dims: string): void {
  const ok = a.shape.length === expected.length && expected.every((n, i) => n < 0 || n === a.shape[i]) && a.data.length === size(a.shape);
  if (!ok) {
    throw new NunatakError('SHAPE', `${what}: shape [${a.shape.join(', ')}], expected [${expected.map((n) => (n < 0 ? '*' : n)).join(', ')}] (${dims})`);
  }
}

/** Float32 data as base64 (exact; for serialisable restart tokens). */
export function f32ToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function base64ToF32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
