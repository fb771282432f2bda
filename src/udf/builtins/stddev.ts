/**
 * StdDevUDF: one-pass, mergeable per-pixel mean, variance and standard
 * deviation over frames. Each tile's frames are reduced to (count, sum, M2)
 * and combined with the running values by Chan et al.'s pairwise formula,
 * which is also the merge: M2 = M2a + M2b + na·nb/n · (Sa/na − Sb/nb)².
 * var is the population variance (ddof = 0, like numpy.var).
 * float32 frames in kernel memory go through the SIMD wasm kernel
 * (`momentsF32`: the same block moments and combination, in f64) with the
 * running (S, M2) in kernel memory, copied to the result per partition.
 */
import { UDF, udfEntry, type Buffers, type Tile } from '../udf.js';
import type { TypedArray } from '../dtype.js';
import { addFrames } from './sum.js';
import { allocF64, freeF64, inKernelMemory, reduceKernels } from '../reduce-kernels.js';

/** Chan's pairwise combination of (n, S, M2) per element, into (Sa, M2a). */
export function chanCombine(na: number, Sa: TypedArray, M2a: TypedArray, nb: number, Sb: TypedArray, M2b: TypedArray): void {
  if (nb === 0) return;
  if (na === 0) {
    Sa.set(Sb as Float64Array);
    M2a.set(M2b as Float64Array);
    return;
  }
  const n = na + nb;
  const f = (na * nb) / n;
  for (let i = 0; i < Sa.length; i++) {
    const d = Sa[i] / na - Sb[i] / nb;
    M2a[i] += M2b[i] + f * d * d;
    Sa[i] += Sb[i];
  }
}

export class StdDevUDF extends UDF<Record<string, never>> {
  static override entry = udfEntry(import.meta.url, 'StdDevUDF');

  getResultBuffers() {
    return {
      sum: this.buffer({ kind: 'sig', dtype: 'float64', use: 'private' }),
      varsum: this.buffer({ kind: 'sig', dtype: 'float64', use: 'private' }),
      num_frames: this.buffer({ kind: 'single', dtype: 'float64', units: '1' }),
      mean: this.buffer({ kind: 'sig', dtype: 'float64', use: 'result_only', units: '{input}' }),
      var: this.buffer({ kind: 'sig', dtype: 'float64', use: 'result_only', units: '({input})2' }),
      std: this.buffer({ kind: 'sig', dtype: 'float64', use: 'result_only', units: '{input}' }),
    };
  }

  /** Deeper tiles than the default: the Chan combination costs one sweep per tile. */
  override tilingPreferences() {
    return { depth: 32, totalSize: 4 * 1024 * 1024 };
  }

  override getTaskData() {
    return { partStart: this.meta.slice.start };
  }

  processTile(tile: Tile): void {
    const S = this.results.sum;
    const M2 = this.results.varsum;
    const n = S.length;
    const d = tile.depth;
    const x = tile.data;
    // Frames of this partition already folded into this sig region.
    const na = this.meta.slice.start - (this.taskData.partStart as number);
    const k = reduceKernels();
    if (k && inKernelMemory(k, x) && x.length === d * n) {
      let acc = this.taskData.acc as Float64Array | undefined;
      if (!acc) this.taskData.acc = acc = allocF64(k, 2 * n);
      k.momentsF32(0, n, acc.byteOffset, acc.byteOffset + 8 * n, x.byteOffset, n, d, na);
      return;
    }
    // Scratch reused across tiles of the partition (tiles of one run have ≤ n elements).
    let scratch = this.taskData.scratch as Float64Array | undefined;
    if (!scratch || scratch.length < 3 * n) this.taskData.scratch = scratch = new Float64Array(3 * n);
    const tS = scratch.subarray(0, n).fill(0);
    const tM2 = scratch.subarray(n, 2 * n).fill(0);
    addFrames(tS, x, d);
    const mean = scratch.subarray(2 * n, 3 * n);
    for (let i = 0; i < n; i++) mean[i] = tS[i] / d;
    for (let f = 0; f < d; f++) {
      const o = f * n;
      for (let i = 0; i < n; i++) {
        const r = x[o + i] - mean[i];
        tM2[i] += r * r;
      }
    }
    chanCombine(na, S, M2, d, tS, tM2);
  }

  override postprocess(): void {
    this.results.num_frames[0] = this.meta.slice.count;
    const acc = this.taskData.acc as Float64Array | undefined;
    if (!acc) return;
    const n = this.results.sum.length;
    this.results.sum.set(acc.subarray(0, n));
    this.results.varsum.set(acc.subarray(n, 2 * n));
    freeF64(reduceKernels()!, acc);
    this.taskData.acc = undefined;
  }

  override merge(dest: Buffers, src: Buffers): void {
    const na = dest.num_frames[0];
    const nb = src.num_frames[0];
    chanCombine(na, dest.sum, dest.varsum, nb, src.sum, src.varsum);
    dest.num_frames[0] = na + nb;
  }

  override getResults(): Buffers {
    const n = this.results.num_frames[0];
    const S = this.results.sum;
    const M2 = this.results.varsum;
    const mean = new Float64Array(S.length);
    const v = new Float64Array(S.length);
    const sd = new Float64Array(S.length);
    for (let i = 0; i < S.length; i++) {
      mean[i] = S[i] / n;
      v[i] = M2[i] / n;
      sd[i] = Math.sqrt(v[i]);
    }
    return { mean, var: v, std: sd };
  }
}
