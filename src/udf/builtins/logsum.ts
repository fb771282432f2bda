/** LogsumUDF: Σ over frames of log(frame − min(frame) + 1) per pixel (sig buffer `logsum`). */
import type { TypedArray } from '../dtype.js';
import { UDF, udfEntry, type Buffers } from '../udf.js';
import { addInto } from './sum.js';

export class LogsumUDF extends UDF<Record<string, never>> {
  static override entry = udfEntry(import.meta.url, 'LogsumUDF');

  getResultBuffers() {
    return { logsum: this.buffer({ kind: 'sig', dtype: 'float64', units: '1' }) };
  }

  processFrame(frame: TypedArray): void {
    let min = Infinity;
    for (let i = 0; i < frame.length; i++) if (frame[i] < min) min = frame[i];
    const out = this.results.logsum;
    for (let i = 0; i < frame.length; i++) out[i] += Math.log(frame[i] - min + 1);
  }

  override merge(dest: Buffers, src: Buffers): void {
    addInto(dest.logsum, src.logsum);
  }
}
