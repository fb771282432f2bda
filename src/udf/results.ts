/**
 * Results of one UDF run: lazy (the UDF's getResults runs the first time a
 * buffer is read), with `data` re-embedded in the full nav shape (NaN, or 0
 * for integers, outside the ROI) and `rawData` ROI-compressed.
 */
import { NunatakError, didYouMean } from '../core/errors.js';
import { bufferAccessor, bufferLength, checkAssign, type BufferKind, type BufferSpec } from './buffer.js';
import { allocate, isFloat, type DType, type TypedArray } from './dtype.js';
import type { UDFMeta } from './meta.js';
import { prod } from './shape.js';
import type { Buffers, UDF } from './udf.js';

export class ResultBuffer {
  constructor(
    readonly name: string,
    readonly kind: BufferKind,
    readonly dtype: DType,
    readonly extraShape: number[],
    /** ROI-compressed for nav buffers. */
    readonly rawData: TypedArray,
    private readonly navShape: number[],
    private readonly sigShape: number[],
    private readonly roi: Uint8Array | null,
    /** Declared units (`{input}` = the input's units), if any. */
    readonly units?: string,
  ) {}

  /** Shape of `data`: nav → [...navShape, ...extra]; sig → [...sigShape, ...extra]; single → extra or [1]. */
  get shape(): number[] {
    if (this.kind === 'nav') return [...this.navShape, ...this.extraShape];
    if (this.kind === 'sig') return [...this.sigShape, ...this.extraShape];
    return this.extraShape.length > 0 ? this.extraShape : [1];
  }

  /** Full-shape data; nav entries outside the ROI are NaN (floats) or 0. */
  get data(): TypedArray {
    if (this.kind !== 'nav' || !this.roi) return this.rawData;
    const e = prod(this.extraShape);
    const out = allocate(this.dtype, this.roi.length * e);
    if (isFloat(this.dtype)) out.fill(NaN);
    let k = 0;
    for (let i = 0; i < this.roi.length; i++) {
      if (!this.roi[i]) continue;
      (out as Float32Array).set(this.rawData.subarray(k * e, (k + 1) * e) as Float32Array, i * e);
      k++;
    }
    return out;
  }
}

export interface ResultsSource {
  udf: UDF<any>;
  specs: Record<string, BufferSpec>;
  buffers: Buffers;
  meta: UDFMeta;
  nRoi: number;
  sigSize: number;
}

export class UDFResults {
  private computed?: Map<string, ResultBuffer>;

  constructor(private readonly src: ResultsSource) {}

  /** Names of the result buffers (private ones excluded); does not run getResults. */
  keys(): string[] {
    return Object.entries(this.src.specs)
      .filter(([, s]) => s.use !== 'private')
      .map(([n]) => n);
  }

  get(name: string): ResultBuffer {
    const all = this.compute();
    const r = all.get(name);
    if (!r) {
      const hidden = this.src.specs[name]?.use === 'private';
      throw new NunatakError('NOT_FOUND', `UDF ${this.src.udf.constructor.name} has no result '${name}'${hidden ? ' (it is private)' : didYouMean(name, this.keys())}`, {
        hint: `results: ${this.keys().join(', ')}`,
      });
    }
    return r;
  }

  /** All results as name → ResultBuffer. */
  toObject(): Record<string, ResultBuffer> {
    return Object.fromEntries(this.compute());
  }

  private compute(): Map<string, ResultBuffer> {
    if (this.computed) return this.computed;
    const { udf, specs, buffers, meta, nRoi, sigSize } = this.src;
    const name = udf.constructor.name;
    // Snapshot: a partial result must not change when later partitions merge.
    const snap: Buffers = {};
    for (const [k, v] of Object.entries(buffers)) snap[k] = v.slice();
    udf.meta = meta;
    udf.results = bufferAccessor(name, specs, new Map(Object.entries(snap)));
    const got = udf.getResults() ?? {};
    for (const [k, v] of Object.entries(got)) {
      const s = specs[k];
      if (!s) throw new NunatakError('CONFIG', `UDF ${name}.getResults returned undeclared buffer '${k}'${didYouMean(k, Object.keys(specs))}`);
      if (s.use === 'private') throw new NunatakError('CONFIG', `UDF ${name}.getResults returned private buffer '${k}'`, { hint: 'private buffers are never results' });
      snap[k] = checkAssign(name, k, s, v, bufferLength(s, nRoi, sigSize));
    }
    const out = new Map<string, ResultBuffer>();
    for (const [k, s] of Object.entries(specs)) {
      if (s.use === 'private') continue;
      if (!snap[k]) throw new NunatakError('CONFIG', `UDF ${name}.getResults must return result_only buffer '${k}'`);
      out.set(k, new ResultBuffer(k, s.kind, s.dtype, s.extraShape, snap[k], meta.navShape, meta.sigShape, meta.roi, s.units));
    }
    this.computed = out;
    return out;
  }
}
