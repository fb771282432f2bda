/** SumUDF: the sum of all frames under the ROI (a sig buffer `intensity`). */
import type { TypedArray } from '../dtype.js';
import { UDF, udfEntry, type Buffers, type Tile } from '../udf.js';

export class SumUDF extends UDF<{ dtype?: 'float32' | 'float64' }> {
  static override entry = udfEntry(import.meta.url, 'SumUDF');

  getResultBuffers() {
    return { intensity: this.buffer({ kind: 'sig', dtype: this.params.dtype ?? 'float64' }) };
  }

  processTile(tile: Tile): void {
    addFrames(this.results.intensity, tile.data, tile.depth);
  }

  override merge(dest: Buffers, src: Buffers): void {
    addInto(dest.intensity, src.intensity);
  }
}

export function addInto(a: TypedArray, b: TypedArray): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/**
 * out[i] += Σ_f frames[f·n + i] for `depth` frames of n = out.length values.
 * Four frames per sweep: a quarter of the loads and stores of `out`, measured
 * about twice as fast as one frame per sweep in V8.
 */
export function addFrames(out: TypedArray, frames: TypedArray, depth: number): void {
  const n = out.length;
  let f = 0;
  for (; f + 4 <= depth; f += 4) {
    const a = frames.subarray(f * n, (f + 1) * n);
    const b = frames.subarray((f + 1) * n, (f + 2) * n);
    const c = frames.subarray((f + 2) * n, (f + 3) * n);
    const e = frames.subarray((f + 3) * n, (f + 4) * n);
    for (let i = 0; i < n; i++) out[i] += a[i] + b[i] + c[i] + e[i];
  }
  for (; f < depth; f++) {
    const o = f * n;
    for (let i = 0; i < n; i++) out[i] += frames[o + i];
  }
}
