// Redis going away under a distributed run, with real redis-server and
// `nunatak` processes: Redis killed mid-run → the `nunatak udf run` client
// fails with one clear [EXEC] error (no stack traces), the worker logs the
// outage quietly and resumes when Redis is back; Redis restarted empty
// mid-run → a clear EXEC error, no uncaught exception, and the next run works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { createExecutor } from '../../src/exec/create.js';
import type { Executor, TaskSpec } from '../../src/exec/contract.js';
import type { NunatakError } from '../../src/core/errors.js';
import { writeNpy } from '../../src/io/npy/npy.js';
import { startRedis, startWorkerProcess, stopProcess, type RedisServer } from '../helpers/redis-server.js';

const BIN = fileURLToPath(new URL('../../bin/nunatak.js', import.meta.url));
const TASKS = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
const UDFS = fileURLToPath(new URL('../udf/fixtures/udfs.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nunatak-faults-'));
let redis: RedisServer | undefined;
const procs: ChildProcess[] = [];
const executors: Executor[] = [];

before(() => {
  // 400 frames × 15 ms (SlowSumSig): one partition running ~6 s on the one worker.
  writeNpy(join(dir, 'scan.npy'), Float32Array.from({ length: 400 * 16 }, (_, i) => i % 7), [400, 4, 4], 'float32');
});

after(async () => {
  for (const ex of executors) await ex.close();
  for (const p of procs) await stopProcess(p, 'SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function collect<R>(it: AsyncIterable<{ task: TaskSpec; result: R }>): Promise<Map<string, R>> {
  const m = new Map<string, R>();
  for await (const r of it) m.set(r.task.id, r.result);
  return m;
}

async function waitActive(url: string, queue: string): Promise<void> {
  const q = new Queue(queue, { connection: { url }, prefix: 'nunatak' });
  try {
    while ((await q.getActiveCount()) === 0) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await q.close();
  }
}

const exited = (p: ChildProcess) =>
  new Promise<number | null>((res) => (p.exitCode !== null || p.signalCode !== null ? res(p.exitCode) : p.once('exit', (c) => res(c))));

test('distributed: Redis killed mid-run → the client fails with one clear [EXEC] error; the worker waits quietly and resumes', { timeout: 50_000 }, async (t) => {
  redis = await startRedis();
  const wlog: string[] = [];
  const w = await startWorkerProcess(redis.url, 'nunatak-tasks', [], wlog);
  procs.push(w);
  const client = spawn(
    process.execPath,
    [BIN, 'udf', 'run', `${UDFS}#SlowSumSig`, '-d', join(dir, 'scan.npy'), '-e', 'distributed', '--redis', redis.url, '--no-progress', '--no-netcdf', '-o', join(dir, 'out')],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NUNATAK_QUIET: '' } },
  );
  procs.push(client);
  let cerr = '';
  client.stderr!.on('data', (b: Buffer) => (cerr += b.toString()));
  client.stdout!.on('data', (b: Buffer) => (cerr += b.toString()));
  await waitActive(redis.url, 'nunatak-tasks');
  const logBefore = wlog.join('').length;
  const t0 = Date.now();
  await redis.kill();
  const code = await exited(client);
  t.diagnostic(`client failed ${((Date.now() - t0) / 1000).toFixed(1)} s after Redis was killed`);
  assert.equal(code, 2, cerr);
  const lines = cerr.trim().split('\n');
  assert.match(lines[0], /^error: \[EXEC\] lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ during the run/);
  assert.ok(lines.length <= 2 && /hint:/.test(lines[1] ?? 'hint:'), `one error and its hint, got:\n${cerr}`);

  // Redis back (empty, same port): the worker reconnects by itself and runs the next task.
  redis = await startRedis(redis.port);
  const ex = await createExecutor({ kind: 'distributed', redis: redis.url, workerWaitMs: 15_000 });
  executors.push(ex);
  const r = await collect<number>(ex.runTasks([{ id: 'after', entry: `${TASKS}#pid`, input: null }]));
  assert.equal(r.get('after'), w.pid);
  assert.equal(w.exitCode, null);
  const outage = wlog.join('').slice(logBefore);
  assert.match(outage, /lost Redis at .*retrying/);
  assert.match(outage, /reconnected to Redis/);
  assert.doesNotMatch(outage, /^\s+at \S/m, 'no stack traces in the worker log');
  assert.ok(outage.trim().split('\n').length <= 4, `a few lines for the whole outage, got:\n${outage}`);
});

test('distributed: Redis restarted empty mid-run → a clear EXEC error, no uncaught exception; the next run works', { timeout: 40_000 }, async () => {
  redis ??= await startRedis();
  const ex = await createExecutor({ kind: 'distributed', redis: redis.url, queue: 'restart', workerWaitMs: 15_000 });
  executors.push(ex);
  const w = await startWorkerProcess(redis.url, 'restart');
  procs.push(w);
  const run = collect(ex.runTasks([0, 1, 2].map((i) => ({ id: `h${i}`, entry: `${TASKS}#holdWithPid`, input: { ms: 3000 } }))));
  run.catch(() => {});
  await waitActive(redis.url, 'restart');
  await redis.kill();
  redis = await startRedis(redis.port);
  await assert.rejects(run, (e: NunatakError) => {
    assert.equal(e.code, 'EXEC');
    assert.match(e.message, /is gone from Redis at .*restarted or flushed during the run/);
    return true;
  });
  const r = await collect<number>(ex.runTasks([{ id: 'again', entry: `${TASKS}#pid`, input: null }]));
  assert.equal(r.get('again'), w.pid);
  assert.equal(w.exitCode, null);
});
