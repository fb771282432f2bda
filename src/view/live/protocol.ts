/**
 * What the live stream (`/api/live`, server-sent events) carries while a
 * `nunatak udf run … --view` or `nunatak emulator train … --view` runs. Shared
 * by the server and the page: no Node imports.
 */
import type { CoordMeta, VarMeta } from '../protocol.js';

/** Event names on the stream, in the order a run sends them: one `run`, then `merge`s or `epoch`s, then `done` or `error`. */
export type LiveEventType = 'run' | 'merge' | 'epoch' | 'done' | 'error';

/** `run`: a run started. */
export interface LiveRun {
  kind: 'udf' | 'emulator';
  /** What runs, e.g. "udf sumsig on scan.npy". */
  title: string;
  /** udf: frames to process (inside the ROI). */
  frames?: number;
  /** emulator: epochs asked for. */
  epochs?: number;
}

/** `merge`: one partition's buffers were merged into the results. */
export interface LiveMerge {
  /** Index of the merged partition. */
  partition: number;
  /** Partitions merged so far, and in all. */
  merged: number;
  partitions: number;
  /** Frames merged so far and in all (inside the ROI). */
  frames: number;
  framesTotal: number;
  /** frames / framesTotal, 0…1; exactly 1 after the last merge. */
  progress: number;
  /** Result buffers now readable at /api/live/slab/<name> (their values as of this event). */
  buffers: VarMeta[];
}

/** `epoch`: one training epoch finished. Losses are in the scaled units training uses; null when not computed. */
export interface LiveEpoch {
  epoch: number;
  epochs: number;
  loss: number;
  val_loss: number | null;
  mae: number;
  val_mae: number | null;
  /** Wall time of the epoch (s). */
  seconds: number;
  /** epoch / epochs. */
  progress: number;
  /** The validation sample's TRUE / PRED / PRED − TRUE maps per output field, readable at /api/live/slab/<name> (as of this epoch). */
  buffers?: VarMeta[];
}

/** `done`: the run finished; for a UDF the buffers hold its returned results. */
export interface LiveDone {
  progress: 1;
  /** Wall time of the whole run (s). */
  seconds: number;
  /** Why training stopped (emulator): epochs, nan or early-stopping. */
  stoppedOn?: string;
  buffers?: VarMeta[];
}

/** `error`: the run failed. */
export interface LiveError {
  message: string;
  code?: string;
}

export interface LiveEventData {
  run: LiveRun;
  merge: LiveMerge;
  epoch: LiveEpoch;
  done: LiveDone;
  error: LiveError;
}

/** /api/live/meta: the buffers of the running UDF (as a file's variables) with their coordinates. */
export interface LiveMeta {
  vars: VarMeta[];
  coords: Record<string, CoordMeta>;
}
