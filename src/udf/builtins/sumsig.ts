/** SumSigUDF: the sum over the signal of every frame (a nav buffer `intensity`). */
import { UDF, udfEntry, type Tile } from '../udf.js';

export class SumSigUDF extends UDF<{ dtype?: 'float32' | 'float64' }> {
  static override entry = udfEntry(import.meta.url, 'SumSigUDF');

  getResultBuffers() {
    return { intensity: this.buffer({ kind: 'nav', dtype: this.params.dtype ?? 'float64', units: '{input}' }) };
  }

  processTile(tile: Tile): void {
    const out = this.results.intensity;
    const d = tile.data;
    const n = d.length / tile.depth;
    for (let f = 0; f < tile.depth; f++) {
      let s = 0;
      for (let i = f * n, e = i + n; i < e; i++) s += d[i];
      out[f] += s;
    }
  }
}
