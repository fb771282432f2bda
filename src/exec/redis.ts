/** Redis connection helpers for the distributed executor: fail fast, never hang. */
import { Redis } from 'ioredis';
import { NunatakError } from '../core/errors.js';

/** Key namespace for one queue: params, inputs, outputs, cancel channel. */
export function keys(queue: string) {
  const base = `nunatak:${queue}`;
  return {
    params: (k: string) => `${base}:params:${k}`,
    /** BullMQ's hash of one job (prefix `nunatak`). */
    job: (jobId: string) => `${base}:${jobId}`,
    input: (jobId: string) => `${base}:in:${jobId}`,
    output: (jobId: string) => `${base}:out:${jobId}`,
    cancel: `${base}:cancel`,
  };
}

/** Reconnection delay after the n-th failed attempt (ms): quick at first, then every 2 s. */
export const reconnectDelay = (n: number): number => Math.min(250 * n, 2000);

/**
 * Connection options for BullMQ's own clients: the same reconnection delays,
 * so a worker resumes within ~2 s of Redis returning (BullMQ's default backs
 * off to 20 s).
 */
export function bullConnection(url: string) {
  return { url, retryStrategy: reconnectDelay };
}

/**
 * Connect and PING within `timeoutMs`; a clear EXEC error when Redis cannot
 * be reached (instead of ioredis retrying forever). With `reconnect`, a
 * connection that is lost *later* keeps retrying (`reconnectDelay`) while
 * commands fail at once (no offline queue), so callers notice the outage.
 */
export async function connectRedis(url: string, timeoutMs = 3000, reconnect = false): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NunatakError('CONFIG', `invalid Redis URL '${url}'`, { hint: 'e.g. redis://127.0.0.1:6379' });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new NunatakError('CONFIG', `Redis URL '${url}' must start with redis:// or rediss://`);
  }
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // reported through connect() below
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new NunatakError('EXEC', `cannot reach Redis at ${url}: ${(e as Error).message || String(e)}`, {
      hint: 'start redis-server there (or fix the URL), then run `nunatak worker --redis URL` on each machine',
      cause: e,
    });
  }
  // Only now: the first connection must fail fast, later losses are retried.
  if (reconnect) client.options.retryStrategy = reconnectDelay;
  return client;
}
