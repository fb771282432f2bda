/**
 * A distributed-executor worker (`nunatak worker --redis URL`): takes jobs
 * from the BullMQ queue, loads params once per scatter key, runs the task
 * function, and stores the binary result in Redis.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { log } from '../core/log.js';
import { DEFAULT_QUEUE, WIRE_PREFIX, type JobData } from './distributed.js';
import { bullConnection, connectRedis, keys } from './redis.js';
import { markWorker } from './main-script.js';
import { runEncodedTask } from './run-task.js';
import { WORKER_DEFAULTS } from './worker-defaults.js';
import { decode, encode, errorToWire } from './wire.js';

export interface WorkerOptions {
  url: string;
  queue?: string;
  /** Jobs at once in this process (default 1: tasks are CPU-bound). */
  concurrency?: number;
  /**
   * How long a job lock lasts without renewal (ms). The lock is renewed every
   * half of it while the task runs; a killed worker's job is retried once it
   * lapses. A task that blocks the event loop longer than this looks dead.
   */
  lockDuration?: number;
  /** How often living workers look for jobs whose lock lapsed (ms). */
  stalledInterval?: number;
  /** How many times one job may be recovered from a dead worker before it fails. */
  maxStalledCount?: number;
}


export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  markWorker();
  const queue = o.queue ?? DEFAULT_QUEUE;
  const k = keys(queue);
  // Both retry for ever once connected: a worker outlives a Redis restart.
  const redis = await connectRedis(o.url, 3000, true);
  const sub = await connectRedis(o.url, 3000, true);
  const quiet = quietLog(o.url);
  redis.on('error', (e: Error) => quiet.down(e));
  redis.on('ready', () => quiet.up());
  const params = new Map<string, unknown>();
  const running = new Map<string, Set<AbortController>>();
  await sub.subscribe(k.cancel);
  sub.on('message', (_ch: string, runId: string) => {
    for (const ac of running.get(runId) ?? []) ac.abort();
  });

  const loadParams = async (key: string): Promise<unknown> => {
    if (params.has(key)) return params.get(key);
    const buf = await redis.getBuffer(k.params(key));
    if (!buf) throw new Error(`scattered params '${key}' are not in Redis (expired or dropped)`);
    const value = decode(buf);
    params.set(key, value);
    // Keep only the most recent few broadcasts.
    if (params.size > 4) params.delete(params.keys().next().value!);
    return value;
  };

  const processor = async (job: Job<JobData>): Promise<{ ok: true }> => {
    const d = job.data;
    const ac = new AbortController();
    let set = running.get(d.runId);
    if (!set) running.set(d.runId, (set = new Set()));
    set.add(ac);
    try {
      const input = await redis.getBuffer(k.input(job.id!));
      if (!input) throw new Error(`input of task '${d.taskId}' is not in Redis (run cancelled?)`);
      const ctx = {
        params: d.paramsKey === undefined ? undefined : await loadParams(d.paramsKey),
        signal: ac.signal,
        progress: (msg: unknown) => {
          void job.updateProgress({ b: Buffer.from(encode(msg, 'progress message')).toString('base64') }).catch(() => {});
        },
      };
      const out = await runEncodedTask(d.entry, input, ctx);
      await redis.set(k.output(job.id!), Buffer.from(out.buffer, out.byteOffset, out.byteLength), 'EX', 3600);
      return { ok: true };
    } catch (e) {
      // Task errors are not retried: the same input fails the same way elsewhere.
      throw new UnrecoverableError(WIRE_PREFIX + JSON.stringify(errorToWire(e)));
    } finally {
      set.delete(ac);
      if (set.size === 0) running.delete(d.runId);
    }
  };

  const worker = new Worker<JobData>(queue, processor, {
    connection: bullConnection(o.url),
    prefix: 'nunatak',
    concurrency: o.concurrency ?? WORKER_DEFAULTS.concurrency,
    lockDuration: o.lockDuration ?? WORKER_DEFAULTS.lockDuration,
    stalledInterval: o.stalledInterval ?? WORKER_DEFAULTS.stalledInterval,
    maxStalledCount: o.maxStalledCount ?? WORKER_DEFAULTS.maxStalledCount,
    name: `${hostname()}:${process.pid}`,
  });
  worker.on('error', (e) => quiet.error(e));
  // A task's stray rejection or exception must not take the worker (and its other tasks) down.
  const stray = (e: unknown) => quiet.error(e, 'a task left an unhandled error');
  process.on('unhandledRejection', stray);
  process.on('uncaughtException', stray);
  await worker.waitUntilReady();
  log.info(`nunatak worker ${hostname()}:${process.pid} listening on '${queue}' at ${o.url}`);
  return {
    async close() {
      process.off('unhandledRejection', stray);
      process.off('uncaughtException', stray);
      // With Redis gone a graceful close waits for ever: force it then, and bound it anyway.
      const closing = worker.close(redis.status !== 'ready').catch(() => {});
      await Promise.race([closing, new Promise((r) => setTimeout(r, 5000).unref())]);
      sub.disconnect();
      redis.disconnect();
    },
  };
}

/**
 * One warning when Redis goes away and one line when it is back, instead of
 * an error per reconnection attempt and per client; other errors are logged
 * once per distinct message in a row.
 */
function quietLog(url: string) {
  let down = false;
  let last = '';
  const once = (line: string) => {
    if (line !== last) log.warn((last = line));
  };
  const isConnection = (m: string) => /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|connect/i.test(m);
  return {
    down(e: Error) {
      if (down) return;
      down = true;
      once(`worker: lost Redis at ${url} (${e.message || 'connection closed'}); retrying every 2 s, tasks resume when it is back`);
    },
    up() {
      if (!down) return;
      down = false;
      last = '';
      log.info(`worker: reconnected to Redis at ${url}`);
    },
    error(e: unknown, what = 'worker') {
      const m = e instanceof Error ? e.message : String(e);
      if (isConnection(m)) return this.down(e instanceof Error ? e : new Error(m));
      once(`${what}: ${m}`);
    },
  };
}
