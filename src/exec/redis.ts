/** Redis connection helpers for the distributed executor: fail fast, never hang. */
import { Redis } from 'ioredis';
import { NunatakError } from '../core/errors.js';

/** Key namespace for one queue: params, inputs, outputs, cancel channel. */
export function keys(queue: string) {
  const base = `nunatak:${queue}`;
  return {
    params: (k: string) => `${base}:params:${k}`,
    input: (jobId: string) => `${base}:in:${jobId}`,
    output: (jobId: string) => `${base}:out:${jobId}`,
    cancel: `${base}:cancel`,
  };
}

/**
 * Connect and PING within `timeoutMs`; a clear EXEC error when Redis cannot
 * be reached (instead of ioredis retrying forever).
 */
export async function connectRedis(url: string, timeoutMs = 3000): Promise<Redis> {
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
  return client;
}
