/** Partitioning along the flattened nav axis (LiberTEM's scheme). */
import { NunatakError } from '../core/errors.js';

export interface PartitionSlice {
  index: number;
  /** Flat nav frame range [start, stop). */
  start: number;
  stop: number;
  /** Frames under the ROI before `start` (offset into ROI-compressed nav buffers). */
  roiStart: number;
  /** Frames under the ROI in this partition. */
  roiCount: number;
}

/** Default partition size in MiB, counted as float32 pixels whatever the dtype. */
export const PARTITION_MIB = 512;

/**
 * Number of partitions: enough that each holds ≤ `partitionMiB` of float32
 * pixels, rounded up to a multiple of `workers`, at least `workers`, at most
 * one per frame.
 */
export function partitionCount(navSize: number, sigSize: number, workers: number, partitionMiB = PARTITION_MIB): number {
  const px = navSize * sigSize;
  let n = Math.ceil(px / ((partitionMiB * 1024 * 1024) / 4));
  n = Math.max(workers, Math.ceil(n / workers) * workers);
  return Math.max(1, Math.min(n, navSize));
}

/** Partition slices with linspace boundaries; partitions empty under the ROI are skipped. */
export function makePartitions(navSize: number, count: number, roi: Uint8Array | null): PartitionSlice[] {
  if (!Number.isInteger(count) || count < 1) throw new NunatakError('CONFIG', `numPartitions must be a positive integer, got ${count}`);
  count = Math.min(count, navSize);
  const out: PartitionSlice[] = [];
  let before = 0;
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * navSize) / count);
    const stop = Math.floor(((i + 1) * navSize) / count);
    let n = stop - start;
    if (roi) {
      n = 0;
      for (let k = start; k < stop; k++) n += roi[k] ? 1 : 0;
    }
    if (n > 0) out.push({ index: i, start, stop, roiStart: before, roiCount: n });
    before += n;
  }
  return out;
}
