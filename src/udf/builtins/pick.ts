/**
 * PickUDF: the frames themselves, for a small ROI (nav buffer `intensity`
 * with extraShape = sigShape, in the input dtype, native when run alone).
 */
import type { TypedArray } from '../dtype.js';
import { UDF, udfEntry } from '../udf.js';

export class PickUDF extends UDF<Record<string, never>> {
  static override entry = udfEntry(import.meta.url, 'PickUDF');

  getResultBuffers() {
    return { intensity: this.buffer({ kind: 'nav', extraShape: this.meta.sigShape, dtype: this.meta.inputDtype, units: '{input}' }) };
  }

  override preferredInputDtype() {
    return 'native' as const;
  }

  processFrame(frame: TypedArray): void {
    (this.results.intensity as Float32Array).set(frame as Float32Array);
  }
}
