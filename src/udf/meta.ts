/** What a UDF can know about the data it is processing (`this.meta`). */
import type { DType } from './dtype.js';
import { unravel } from './shape.js';

export interface UDFMeta {
  /** Full dataset shape, independent of the ROI. */
  navShape: number[];
  sigShape: number[];
  datasetDtype: DType;
  /** Element type of the frames / tiles handed to process* (float32 by default). */
  inputDtype: DType;
  /** ROI as a flat boolean (0/1) mask over nav, or null for all frames. */
  roi: Uint8Array | null;
  /** Frames of the current partition under the ROI, and the signal shape. */
  partitionShape: number[];
  /** Current frames in ROI-compressed flat nav coordinates: [start, start+count). */
  slice: { start: number; count: number };
  /** Current signal region (origin and extent per sig axis). */
  sigSlice: { origin: number[]; shape: number[] };
  /** Flat (uncompressed) nav index of every current frame. */
  navIndices: Int32Array;
  /** ROI-compressed positions merged so far; only set in merge and getResults. */
  validNavMask: Uint8Array | null;
}

/** Nav coordinates (one multi-index per current frame). */
export function coordinates(meta: UDFMeta): number[][] {
  return Array.from(meta.navIndices, (i) => unravel(i, meta.navShape));
}
