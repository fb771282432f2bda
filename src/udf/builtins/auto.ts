/**
 * AutoUDF behind `ctx.map`: calls a frame function (by entrypoint) on every
 * frame. The result buffer's shape and dtype are inferred by calling it once
 * on a frame of ones, as LiberTEM does.
 */
import { NunatakError } from '../../core/errors.js';
import { loadFunction } from '../../exec/load-entry.js';
import type { Dataset } from '../dataset/dataset.js';
import { dtypeOf, type DType, type TypedArray } from '../dtype.js';
import { UDF, udfEntry } from '../udf.js';

type FrameFn = (frame: TypedArray) => number | TypedArray;

interface AutoParams {
  fn: string;
  extraShape: number[];
  dtype: DType;
}

export class AutoUDF extends UDF<AutoParams> {
  static override entry = udfEntry(import.meta.url, 'AutoUDF');
  private f?: FrameFn;

  static async create(fn: string, ds: Dataset): Promise<AutoUDF> {
    const f = await loadFunction<FrameFn>(fn);
    const probe = f(new Float32Array(ds.sigSize).fill(1));
    if (typeof probe === 'number') return new AutoUDF({ fn, extraShape: [], dtype: 'float64' });
    const dt = dtypeOf(probe);
    if (!dt) throw new NunatakError('INPUT', `map function '${fn}' must return a number or a typed array, got ${typeof probe}`);
    return new AutoUDF({ fn, extraShape: [probe.length], dtype: dt });
  }

  getResultBuffers() {
    return { result: this.buffer({ kind: 'nav', extraShape: this.params.extraShape, dtype: this.params.dtype }) };
  }

  override async setup(): Promise<void> {
    this.f = await loadFunction<FrameFn>(this.params.fn);
  }

  processFrame(frame: TypedArray): void {
    const v = this.f!(frame);
    if (typeof v === 'number') this.results.result[0] = v;
    else this.results.result = v;
  }
}
