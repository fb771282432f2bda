/**
 * A distributed-executor worker (`nunatak worker --redis URL`): takes jobs
 * from the BullMQ queue, loads params once per scatter key, runs the task
 * function, and stores the binary result in Redis.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { log } from '../core/log.js';
import { DEFAULT_QUEUE, WIRE_PREFIX, type JobData } from './distributed.js';
import { connectRedis, keys } from './redis.js';
import { runEncodedTask } from './run-task.js';
import { decode, encode, errorToWire } from './wire.js';

export interface WorkerOptions {
  url: string;
  queue?: string;
  /** Jobs at once in this process (default 1: tasks are CPU-bound). */
  concurrency?: number;
  /** How long a job lock lasts without renewal (ms): a dead worker's job is retried after this. */
  lockDuration?: number;
  /** How often stalled jobs (dead workers) are looked for (ms). */
  stalledInterval?: number;
}

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const queue = o.queue ?? DEFAULT_QUEUE;
  const k = keys(queue);
  const redis = await connectRedis(o.url);
  const sub = await connectRedis(o.url);
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
    connection: { url: o.url },
    prefix: 'nunatak',
    concurrency: o.concurrency ?? 1,
    lockDuration: o.lockDuration ?? 30_000,
    stalledInterval: o.stalledInterval ?? 30_000,
    maxStalledCount: 5,
    name: `${hostname()}:${process.pid}`,
  });
  worker.on('error', (e) => log.warn(`worker: ${e.message}`));
  await worker.waitUntilReady();
  log.info(`nunatak worker ${hostname()}:${process.pid} listening on '${queue}' at ${o.url}`);
  return {
    async close() {
      await worker.close();
      sub.disconnect();
      redis.disconnect();
    },
  };
}
