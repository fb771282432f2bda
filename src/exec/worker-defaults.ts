/**
 * Defaults of `nunatak worker` (no imports, so the CLI can show them without
 * loading BullMQ). A `kill -9`'d worker's task is back in the queue within
 * lockDuration + stalledInterval ≈ 7 s (BullMQ's own 30 s + 30 s made it ~60 s);
 * the lock is renewed every lockDuration / 2 while a task runs.
 */
export const WORKER_DEFAULTS = {
  /** Tasks at once per worker process. */
  concurrency: 1,
  /** Job lock lifetime without renewal (ms). */
  lockDuration: 5000,
  /** How often living workers look for lapsed locks (ms). */
  stalledInterval: 2000,
  /** Recoveries of one job from dead workers before it fails. */
  maxStalledCount: 2,
} as const;
