/**
 * The `distributed` executor: tasks are BullMQ jobs on Redis, run by
 * `nunatak worker --redis URL` processes on any number of machines.
 * Params are stored in Redis once (binary, V8-serialised) and cached by each
 * worker; task inputs and results travel as binary Redis values; a worker that
 * dies mid-task loses its lock and BullMQ hands the job to another worker;
 * task errors come back with their original message and stack; cancelling
 * removes queued jobs and aborts running ones through a pub/sub channel.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Executor, RunOptions, ScatterHandle, TaskResult, TaskSpec } from './contract.js';
import { NunatakError } from '../core/errors.js';
import { connectRedis, keys } from './redis.js';
import { cancelled, decode, encode, taskFailed, type WireError } from './wire.js';

export const DEFAULT_QUEUE = 'nunatak-tasks';
/** Prefix of task-error messages carrying a serialised WireError. */
export const WIRE_PREFIX = 'NUNATAK_WIRE:';

export interface DistributedOptions {
  url: string;
  /** Workers expected (for partitioning); default: workers connected now (≥ 1). */
  workers?: number;
  queue?: string;
  /** How long runTasks waits for a first worker to connect (ms, default 10 000). */
  workerWaitMs?: number;
}

export interface JobData {
  runId: string;
  taskId: string;
  entry: string;
  paramsKey?: string;
}

type Handler = {
  completed(): void;
  failed(reason: string): void;
  progress(data: unknown): void;
};

export class DistributedExecutor implements Executor {
  readonly kind = 'distributed';
  private readonly handlers = new Map<string, Handler>();
  private closed = false;

  private constructor(
    readonly workers: number,
    private readonly url: string,
    private readonly queueName: string,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly workerWaitMs: number,
  ) {
    events.on('completed', ({ jobId }) => this.handlers.get(jobId)?.completed());
    events.on('failed', ({ jobId, failedReason }) => this.handlers.get(jobId)?.failed(failedReason));
    events.on('progress', ({ jobId, data }) => this.handlers.get(jobId)?.progress(data));
  }

  static async connect(o: DistributedOptions): Promise<DistributedExecutor> {
    const redis = await connectRedis(o.url);
    const queueName = o.queue ?? DEFAULT_QUEUE;
    const connection = { url: o.url };
    const queue = new Queue(queueName, { connection, prefix: 'nunatak' });
    const events = new QueueEvents(queueName, { connection, prefix: 'nunatak' });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    let workers = o.workers;
    if (workers === undefined) workers = Math.max(1, await queue.getWorkersCount());
    if (!Number.isInteger(workers) || workers < 1) {
      throw new NunatakError('CONFIG', `distributed executor: workers must be a positive integer, got ${workers}`);
    }
    return new DistributedExecutor(workers, o.url, queueName, redis, queue, events, o.workerWaitMs ?? 10_000);
  }

  async scatter<P>(params: P): Promise<ScatterHandle> {
    this.checkOpen();
    const key = randomUUID();
    await this.redis.set(keys(this.queueName).params(key), Buffer.from(encode(params, 'scattered params')), 'EX', 24 * 3600);
    return { key };
  }

  async drop(handle: ScatterHandle): Promise<void> {
    if (!this.closed) await this.redis.del(keys(this.queueName).params(handle.key));
  }

  async *runTasks<I, R>(
    tasks: Iterable<TaskSpec<I>>,
    handle?: ScatterHandle,
    opts: RunOptions = {},
  ): AsyncIterable<TaskResult<I, R>> {
    this.checkOpen();
    const k = keys(this.queueName);
    if (opts.signal?.aborted) throw cancelled(this.kind);
    await this.waitForWorkers();
    const runId = randomUUID();
    const list = [...tasks];
    const byJob = new Map<string, TaskSpec<I>>();
    const pending = new Set<string>();
    const done: string[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    list.forEach((t, i) => {
      const jobId = `${runId}-${i}`;
      byJob.set(jobId, t);
      pending.add(jobId);
      this.handlers.set(jobId, {
        completed: () => {
          if (!pending.delete(jobId)) return;
          done.push(jobId);
          notify();
        },
        failed: (reason) => {
          if (!pending.has(jobId)) return;
          failure ??= reason.startsWith(WIRE_PREFIX)
            ? taskFailed(t.id, t.entry, JSON.parse(reason.slice(WIRE_PREFIX.length)) as WireError)
            : new NunatakError('EXEC', `task '${t.id}' (${t.entry}) failed in the queue: ${reason}`);
          notify();
        },
        progress: (data) => {
          const b = (data as { b?: string } | undefined)?.b;
          if (b && opts.onProgress) opts.onProgress(t.id, decode(Buffer.from(b, 'base64')));
        },
      });
    });
    const onAbort = () => {
      failure ??= cancelled(this.kind);
      notify();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Inputs first (binary), then the jobs that name them.
      const pipe = this.redis.pipeline();
      list.forEach((t, i) => pipe.set(k.input(`${runId}-${i}`), Buffer.from(encode(t.input, `input of task '${t.id}'`)), 'EX', 24 * 3600));
      await pipe.exec();
      await this.queue.addBulk(
        list.map((t, i) => ({
          name: t.id,
          data: { runId, taskId: t.id, entry: t.entry, paramsKey: handle?.key } satisfies JobData,
          opts: { jobId: `${runId}-${i}`, attempts: 1, removeOnComplete: true, removeOnFail: true },
        })),
      );
      for (;;) {
        if (failure) throw failure;
        const jobId = done.shift();
        if (jobId !== undefined) {
          const outKey = k.output(jobId);
          const buf = await this.redis.getBuffer(outKey);
          await this.redis.del(outKey, k.input(jobId));
          if (!buf) throw new NunatakError('EXEC', `result of task '${byJob.get(jobId)!.id}' is missing in Redis (expired?)`);
          yield { task: byJob.get(jobId)!, result: decode<R>(buf) };
          continue;
        }
        if (pending.size === 0) break;
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      for (const id of byJob.keys()) this.handlers.delete(id);
      if (pending.size > 0 && !this.closed) {
        // Queued jobs are removed; running ones are told to stop.
        await Promise.all([...pending].map((id) => this.queue.remove(id).catch(() => 0)));
        await this.redis.publish(k.cancel, runId);
        await this.redis.del(...[...pending].flatMap((id) => [k.input(id), k.output(id)]));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.queue.close(), this.events.close()]);
    this.redis.disconnect();
  }

  private async waitForWorkers(): Promise<void> {
    const t0 = Date.now();
    while ((await this.queue.getWorkersCount()) === 0) {
      if (Date.now() - t0 > this.workerWaitMs) {
        throw new NunatakError('EXEC', `no nunatak worker is listening on queue '${this.queueName}' at ${this.url}`, {
          hint: `start one or more: nunatak worker --redis ${this.url}`,
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new NunatakError('EXEC', 'distributed executor is closed');
  }
}
