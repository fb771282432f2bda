/** `createExecutor({kind, workers, redis})`: the one way faces get an executor. */
import type { Executor } from './contract.js';
import { NunatakError, didYouMean } from '../core/errors.js';
import { InlineExecutor } from './inline.js';
import { ThreadsExecutor } from './threads.js';
import { loadingEntry } from './load-entry.js';

export type ExecutorKind = 'inline' | 'threads' | 'distributed';
export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['inline', 'threads', 'distributed'];

export interface ExecutorOptions {
  kind: ExecutorKind;
  /** Threads: pool size. Distributed: expected number of workers (for partitioning). */
  workers?: number;
  /** Distributed: Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis?: string;
  /** Distributed: queue name (default `nunatak-tasks`). */
  queue?: string;
  /** Distributed: how long to wait for a first worker before failing (ms). */
  workerWaitMs?: number;
  /** Distributed: how long Redis may be unreachable during a run before it fails (ms, default 10 000). */
  connectionLossMs?: number;
}

export async function createExecutor(opts: ExecutorOptions): Promise<Executor> {
  const entry = loadingEntry();
  if (entry !== undefined) {
    // A worker importing a task's module ran a script's main part: fail the task instead of recursing or hanging.
    throw new NunatakError('EXEC', `${entry}: its module started a '${opts.kind}' run while being imported to load the task (it runs a script at top level)`, {
      hint: "guard the script's main part with `if (isMain(import.meta.url)) { ... }` (from 'nunatak/udf' or 'nunatak/exec'), or move the UDF/task to its own file",
    });
  }
  switch (opts.kind) {
    case 'inline':
      return new InlineExecutor();
    case 'threads':
      return new ThreadsExecutor({ workers: opts.workers });
    case 'distributed': {
      if (!opts.redis) {
        throw new NunatakError('CONFIG', "distributed executor needs a Redis URL ('redis' option / --redis)", {
          hint: 'e.g. redis://127.0.0.1:6379, with `nunatak worker --redis URL` running on each machine',
        });
      }
      // Loaded lazily: BullMQ and ioredis only when a distributed run is asked for.
      const { DistributedExecutor } = await import('./distributed.js');
      return DistributedExecutor.connect({ url: opts.redis, workers: opts.workers, queue: opts.queue, workerWaitMs: opts.workerWaitMs, connectionLossMs: opts.connectionLossMs });
    }
    default:
      throw new NunatakError('CONFIG', `unknown executor kind '${String((opts as { kind: unknown }).kind)}'${didYouMean(String((opts as { kind: unknown }).kind), EXECUTOR_KINDS)}`, {
        hint: `expected one of ${EXECUTOR_KINDS.join(', ')}`,
      });
  }
}
