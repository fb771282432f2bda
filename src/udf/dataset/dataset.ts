/**
 * A UDF dataset: frames along a flattened navigation axis (nav), each frame a
 * C-ordered signal array (sig). `syncOffset` shifts which stored frame is nav
 * frame 0: positive skips stored frames, negative pads with zero frames.
 */
import { NunatakError } from '../../core/errors.js';
import type { DType, TypedArray } from '../dtype.js';
import { prod } from '../shape.js';

/** Serialisable description a worker uses to open the same dataset. */
export interface DatasetDesc {
  kind: string;
  navShape: number[];
  sigShape: number[];
  syncOffset: number;
  [k: string]: unknown;
}

export abstract class Dataset {
  readonly navShape: number[];
  readonly sigShape: number[];
  readonly dtype: DType;
  readonly syncOffset: number;
  /** Number of frames stored in the source. */
  readonly imageCount: number;

  protected constructor(navShape: number[], sigShape: number[], dtype: DType, syncOffset: number, imageCount: number, name: string) {
    this.navShape = navShape;
    this.sigShape = sigShape;
    this.dtype = dtype;
    this.imageCount = imageCount;
    if (!Number.isInteger(syncOffset) || Math.abs(syncOffset) >= Math.max(imageCount, 1)) {
      throw new NunatakError('INPUT', `${name}: syncOffset must be an integer in (-${imageCount}, ${imageCount}), got ${syncOffset}`);
    }
    this.syncOffset = syncOffset;
  }

  get navSize(): number {
    return prod(this.navShape);
  }

  get sigSize(): number {
    return prod(this.sigShape);
  }

  /** Description a worker passes to `openDataset` (see dataset/open.ts). */
  abstract describe(): DatasetDesc;

  /** Copy stored frames [start, start+count) into `out` at element `outOffset`. */
  protected abstract readStored(start: number, count: number, out: TypedArray, outOffset: number): void;

  /**
   * Copy nav frames [start, start+count) into `out` (native dtype) at element
   * `outOffset`; frames outside the stored range (syncOffset) become zeros.
   */
  readFrames(start: number, count: number, out: TypedArray, outOffset = 0): void {
    const s = start + this.syncOffset;
    const lo = Math.max(s, 0);
    const hi = Math.min(s + count, this.imageCount);
    const sig = this.sigSize;
    if (lo > s) out.fill(0, outOffset, outOffset + (Math.min(lo, s + count) - s) * sig);
    if (hi > lo) this.readStored(lo, hi - lo, out, outOffset + (lo - s) * sig);
    if (hi < s + count) {
      const from = Math.max(hi, s) - s;
      out.fill(0, outOffset + from * sig, outOffset + count * sig);
    }
  }

  close(): void {}
}
