/** SumUDF: the sum of all frames under the ROI (a sig buffer `intensity`). */
import type { TypedArray } from '../dtype.js';
import { UDF, udfEntry, type Buffers, type Tile } from '../udf.js';

export class SumUDF extends UDF<{ dtype?: 'float32' | 'float64' }> {
  static override entry = udfEntry(import.meta.url, 'SumUDF');

  getResultBuffers() {
    return { intensity: this.buffer({ kind: 'sig', dtype: this.params.dtype ?? 'float64' }) };
  }

  processTile(tile: Tile): void {
    const out = this.results.intensity;
    const d = tile.data;
    const n = out.length;
    for (let f = 0; f < tile.depth; f++) {
      const o = f * n;
      for (let i = 0; i < n; i++) out[i] += d[o + i];
    }
  }

  override merge(dest: Buffers, src: Buffers): void {
    addInto(dest.intensity, src.intensity);
  }
}

export function addInto(a: TypedArray, b: TypedArray): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}
