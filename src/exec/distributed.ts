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
import { bullConnection, connectRedis, keys } from './redis.js';
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
  /**
   * How long Redis may stay unreachable during a run before the run fails
   * with an EXEC error (ms, default 10 000). Workers keep retrying regardless.
   */
  connectionLossMs?: number;
}

/** How often a running run checks its jobs and the connection (ms). */
const POLL_MS = 1000;
/** Upper bound on clean-up work after a failed run or at close (ms). */
const CLEANUP_MS = 3000;
const TTL_S = 24 * 3600;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * The ioredis clients under BullMQ objects (main and blocking connections of
 * their Redis backend). BullMQ's own disconnect waits for an 'end' event that
 * never comes while Redis is down, leaving reconnection timers running.
 */
function rawClients(...objs: Array<Queue | QueueEvents>): Array<{ disconnect(): void }> {
  type Conn = { _client?: { disconnect(): void } } | undefined;
  return objs.flatMap((o) => {
    const b = o.getBackend() as unknown as { connection?: Conn; blockingConnection?: Conn };
    return [b.connection?._client, b.blockingConnection?._client].filter((c): c is { disconnect(): void } => typeof c?.disconnect === 'function');
  });
}

/** `p`, or `undefined` after `ms`: clean-up that must not hang when Redis is gone. */
function bounded<T>(p: Promise<T>, ms = CLEANUP_MS): Promise<T | undefined> {
  return Promise.race([p.catch(() => undefined), sleep(ms).then(() => undefined)]);
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
  /** Last connection error seen by any client (for the lost-connection message). */
  private lastError = '';

  private constructor(
    readonly workers: number,
    private readonly url: string,
    private readonly queueName: string,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly workerWaitMs: number,
    private readonly connectionLossMs: number,
  ) {
    // Connection errors are expected while Redis is away; the run's watchdog reports them once.
    const remember = (e: Error) => (this.lastError = e.message || String(e));
    for (const c of [redis, queue, events] as Array<{ on(ev: 'error', f: (e: Error) => void): unknown }>) c.on('error', remember);
    events.on('completed', ({ jobId }) => this.handlers.get(jobId)?.completed());
    events.on('failed', ({ jobId, failedReason }) => this.handlers.get(jobId)?.failed(failedReason));
    events.on('progress', ({ jobId, data }) => this.handlers.get(jobId)?.progress(data));
  }

  static async connect(o: DistributedOptions): Promise<DistributedExecutor> {
    const redis = await connectRedis(o.url, 3000, true);
    const queueName = o.queue ?? DEFAULT_QUEUE;
    const connection = bullConnection(o.url);
    const queue = new Queue(queueName, { connection, prefix: 'nunatak' });
    const events = new QueueEvents(queueName, { connection, prefix: 'nunatak' });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    let workers = o.workers;
    if (workers === undefined) workers = Math.max(1, await queue.getWorkersCount());
    if (!Number.isInteger(workers) || workers < 1) {
      throw new NunatakError('CONFIG', `distributed executor: workers must be a positive integer, got ${workers}`);
    }
    const lossMs = o.connectionLossMs ?? 10_000;
    if (!(lossMs > 0)) throw new NunatakError('CONFIG', `distributed executor: connectionLossMs must be a positive number of ms, got ${lossMs}`);
    return new DistributedExecutor(workers, o.url, queueName, redis, queue, events, o.workerWaitMs ?? 10_000, lossMs);
  }

  async scatter<P>(params: P): Promise<ScatterHandle> {
    this.checkOpen();
    const key = randomUUID();
    const bytes = Buffer.from(encode(params, 'scattered params'));
    await this.redis.set(keys(this.queueName).params(key), bytes, 'EX', TTL_S).catch((e: Error) => {
      throw this.lost(e.message);
    });
    return { key };
  }

  async drop(handle: ScatterHandle): Promise<void> {
    if (!this.closed && this.redis.status === 'ready') await bounded(this.redis.del(keys(this.queueName).params(handle.key)));
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
    // Every await on Redis races this, so a lost connection ends the run instead of hanging it.
    let rejectStop!: (e: Error) => void;
    const stop = new Promise<never>((_, rej) => (rejectStop = rej));
    stop.catch(() => {});
    const fail = (e: Error) => {
      if (!failure) rejectStop((failure = e));
      notify();
    };
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, stop]);
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
          fail(
            reason.startsWith(WIRE_PREFIX)
              ? taskFailed(t.id, t.entry, JSON.parse(reason.slice(WIRE_PREFIX.length)) as WireError)
              : new NunatakError('EXEC', `task '${t.id}' (${t.entry}) failed in the queue: ${reason}`, {
                  hint: /stalled/.test(reason)
                    ? 'its worker stopped renewing the job lock: the task blocks the event loop longer than the workers\' --lock-duration (raise it), or workers keep dying'
                    : undefined,
                }),
          );
        },
        progress: (data) => {
          const b = (data as { b?: string } | undefined)?.b;
          if (b && opts.onProgress) opts.onProgress(t.id, decode(Buffer.from(b, 'base64')));
        },
      });
    });
    const onAbort = () => fail(cancelled(this.kind));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let unwatch: (() => void) | undefined;
    try {
      // Inputs first (binary), then the jobs that name them.
      const pipe = this.redis.pipeline();
      list.forEach((t, i) => pipe.set(k.input(`${runId}-${i}`), Buffer.from(encode(t.input, `input of task '${t.id}'`)), 'EX', TTL_S));
      unwatch = this.watch([...byJob.keys()], pending, fail);
      await guard(pipe.exec());
      await guard(
        this.queue.addBulk(
          list.map((t, i) => ({
            name: t.id,
            data: { runId, taskId: t.id, entry: t.entry, paramsKey: handle?.key } satisfies JobData,
            // Failed jobs stay an hour so the watchdog can read why they failed.
            opts: { jobId: `${runId}-${i}`, attempts: 1, removeOnComplete: true, removeOnFail: { age: 3600 } },
          })),
        ),
      );
      for (;;) {
        if (failure) throw failure;
        const jobId = done.shift();
        if (jobId !== undefined) {
          const outKey = k.output(jobId);
          const buf = await guard(this.redis.getBuffer(outKey));
          await guard(this.redis.del(outKey, k.input(jobId)));
          if (!buf) throw new NunatakError('EXEC', `result of task '${byJob.get(jobId)!.id}' is missing in Redis (expired?)`);
          yield { task: byJob.get(jobId)!, result: decode<R>(buf) };
          continue;
        }
        if (pending.size === 0) break;
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      unwatch?.();
      opts.signal?.removeEventListener('abort', onAbort);
      for (const id of byJob.keys()) this.handlers.delete(id);
      if (pending.size > 0 && !this.closed && this.redis.status === 'ready') {
        // Queued and failed jobs are removed; running ones are told to stop (bounded: Redis may be gone).
        await bounded(
          (async () => {
            await Promise.all([...pending].map((id) => this.queue.remove(id).catch(() => 0)));
            await this.redis.publish(k.cancel, runId);
            await this.redis.del(...[...pending].flatMap((id) => [k.input(id), k.output(id)]));
          })(),
        );
      }
    }
  }

  /**
   * The run's watchdog: every second, one pipelined look at the run's pending
   * jobs. A job gone with its result present completed (its event may have
   * been lost in a reconnect); gone without a result means Redis lost it
   * (restarted empty); a kept failed job reports its reason. No answer from
   * Redis for `connectionLossMs` fails the run.
   */
  private watch(jobIds: string[], pending: Set<string>, fail: (e: Error) => void): () => void {
    const k = keys(this.queueName);
    let lastOk = Date.now();
    let busy = false;
    const tick = async () => {
      if (Date.now() - lastOk > this.connectionLossMs) return fail(this.lost(this.lastError || 'no answer'));
      if (busy) return;
      busy = true;
      try {
        const ids = jobIds.filter((id) => pending.has(id));
        const pipe = this.redis.pipeline().ping();
        for (const id of ids) pipe.exists(k.job(id)).hget(k.job(id), 'failedReason').exists(k.output(id));
        const res = (await pipe.exec()) ?? [];
        const err = res.find(([e]) => e)?.[0];
        if (err) throw err;
        lastOk = Date.now();
        ids.forEach((id, i) => {
          const [hasJob, reason, hasOut] = res.slice(1 + 3 * i, 4 + 3 * i).map(([, v]) => v);
          if (!pending.has(id)) return;
          const h = this.handlers.get(id);
          if (typeof reason === 'string' && reason !== '') h?.failed(reason);
          else if (hasJob === 0 && hasOut === 1) h?.completed();
          else if (hasJob === 0) fail(this.jobLost(id));
        });
      } catch (e) {
        this.lastError = (e as Error).message || String(e);
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => clearInterval(timer);
  }

  private lost(detail: string): NunatakError {
    return new NunatakError('EXEC', `lost the connection to Redis at ${this.url} during the run (${detail})`, {
      hint: 'restart redis-server there and run again; `nunatak worker`s keep retrying and resume by themselves',
    });
  }

  private jobLost(jobId: string): NunatakError {
    return new NunatakError('EXEC', `job ${jobId} of this run is gone from Redis at ${this.url}: Redis was restarted or flushed during the run`, {
      hint: 'run again (workers reconnect by themselves); for runs that survive a Redis restart, start redis-server with --appendonly yes',
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A graceful close needs Redis; when it is gone it would wait for ever.
    if (this.redis.status === 'ready') await bounded(Promise.allSettled([this.queue.close(), this.events.close()]));
    // Then drop every socket and reconnection timer BullMQ still holds, so the process can exit.
    for (const c of rawClients(this.queue, this.events)) c.disconnect();
    this.redis.disconnect();
  }

  private async waitForWorkers(): Promise<void> {
    const t0 = Date.now();
    const count = () =>
      Promise.race([this.queue.getWorkersCount(), sleep(this.connectionLossMs).then(() => Promise.reject(this.lost(this.lastError || 'no answer')))]);
    while ((await count()) === 0) {
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
