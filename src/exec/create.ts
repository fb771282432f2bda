/** `createExecutor({kind, workers, redis})`: the one way faces get an executor. */
import type { Executor } from './contract.js';
import { NunatakError, didYouMean } from '../core/errors.js';
import { InlineExecutor } from './inline.js';
import { ThreadsExecutor } from './threads.js';

export type ExecutorKind = 'inline' | 'threads';
export const EXECUTOR_KINDS: readonly ExecutorKind[] = ['inline', 'threads'];

export interface ExecutorOptions {
  kind: ExecutorKind;
  /** Threads: pool size. Distributed: expected number of workers (for partitioning). */
  workers?: number;
  /** Distributed: Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis?: string;
  /** Distributed: queue name prefix (default `nunatak`). */
  queue?: string;
}

export async function createExecutor(opts: ExecutorOptions): Promise<Executor> {
  switch (opts.kind) {
    case 'inline':
      return new InlineExecutor();
    case 'threads':
      return new ThreadsExecutor({ workers: opts.workers });
    default:
      throw new NunatakError('CONFIG', `unknown executor kind '${String((opts as { kind: unknown }).kind)}'${didYouMean(String((opts as { kind: unknown }).kind), EXECUTOR_KINDS)}`, {
        hint: `expected one of ${EXECUTOR_KINDS.join(', ')}`,
      });
  }
}
