/** A dataset held in memory (a typed array in C order nav…, sig…). */
import { NunatakError } from '../../core/errors.js';
import { dtypeOf, type DType, type TypedArray } from '../dtype.js';
import { checkShape, prod } from '../shape.js';
import { Dataset, type DatasetDesc } from './dataset.js';

export interface MemoryDatasetOptions {
  data: TypedArray;
  navShape: number[];
  sigShape: number[];
  syncOffset?: number;
  /** Declare uint8 data as bool (Uint8Array storage). */
  dtype?: DType;
}

export class MemoryDataset extends Dataset {
  readonly data: TypedArray;

  constructor(o: MemoryDatasetOptions) {
    const nav = checkShape(o.navShape, 'memory dataset navShape');
    const sig = checkShape(o.sigShape, 'memory dataset sigShape');
    const dt = o.dtype ?? dtypeOf(o.data);
    if (!dt) throw new NunatakError('DTYPE', 'memory dataset: data must be a numeric typed array');
    const sigSize = prod(sig);
    if (o.data.length % sigSize !== 0) {
      throw new NunatakError('SHAPE', `memory dataset: data length ${o.data.length} is not a multiple of the frame size ${sigSize} (sigShape ${JSON.stringify(sig)})`);
    }
    const count = o.data.length / sigSize;
    const syncOffset = o.syncOffset ?? 0;
    if (syncOffset === 0 && count !== prod(nav)) {
      throw new NunatakError('SHAPE', `memory dataset: data holds ${count} frames but navShape ${JSON.stringify(nav)} needs ${prod(nav)}`);
    }
    super(nav, sig, dt, syncOffset, count, 'memory dataset');
    this.data = o.data;
  }

  describe(): DatasetDesc {
    return { kind: 'memory', navShape: this.navShape, sigShape: this.sigShape, syncOffset: this.syncOffset, data: this.data, dtype: this.dtype };
  }

  protected readStored(start: number, count: number, out: TypedArray, outOffset: number): void {
    const sig = this.sigSize;
    (out as Float32Array).set(this.data.subarray(start * sig, (start + count) * sig) as Float32Array, outOffset);
  }
}
