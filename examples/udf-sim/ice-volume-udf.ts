/**
 * A UDF for thickness output: ice volume (m³) of each frame (time step).
 * In its own module because workers import it by entrypoint, and a script
 * that is still running its top-level code cannot be imported again.
 */
import { UDF, udfEntry } from '../../src/udf/udf.js';

/** Ice volume per frame: Σ thk · cellArea over the frame (NaN cells, e.g. no ice data, count as 0). */
export class IceVolumeUDF extends UDF<{ cellArea: number }> {
  static override entry = udfEntry(import.meta.url, 'IceVolumeUDF');

  getResultBuffers() {
    return { volume: this.buffer({ kind: 'nav', dtype: 'float64' }) };
  }

  processFrame(frame: Float32Array): void {
    let s0 = 0;
    let s1 = 0;
    let i = 0;
    // Two accumulators; NaN-safe (x > 0 is false for NaN).
    for (; i + 2 <= frame.length; i += 2) {
      const a = frame[i];
      const b = frame[i + 1];
      if (a > 0) s0 += a;
      if (b > 0) s1 += b;
    }
    if (i < frame.length && frame[i] > 0) s0 += frame[i];
    this.results.volume[0] = (s0 + s1) * this.params.cellArea;
  }
}
