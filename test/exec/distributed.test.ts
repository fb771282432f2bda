// The distributed executor on a throwaway redis-server with real `nunatak
// worker` processes: same results as inline, original errors, progress,
// cancellation removing queued jobs, UDF runs with ROIs, a worker killed
// mid-run, and clear errors when Redis or workers are missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { createExecutor } from '../../src/exec/create.js';
import type { Executor, TaskSpec } from '../../src/exec/contract.js';
import type { NunatakError } from '../../src/core/errors.js';
import { Context } from '../../src/udf/context.js';
import { StdDevUDF } from '../../src/udf/builtins/stddev.js';
import { SumSigUDF } from '../../src/udf/builtins/sumsig.js';
import { ApplyMasksUDF, denseMasks, diskMask } from '../../src/udf/builtins/masks.js';
import { freePort, startRedis, startWorkerProcess, stopProcess, type RedisServer } from '../helpers/redis-server.js';
import { SlowSumSig } from '../udf/fixtures/udfs.js';
import { assertClose, makeDataset, randomRoi, roiCases, SIG } from '../udf/helpers.js';

const FIX = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
const E = (n: string) => `${FIX}#${n}`;
const QUEUE = 'test-dist';
let redis: RedisServer;
const workers: ChildProcess[] = [];
let ex: Executor;

before(async () => {
  redis = await startRedis();
  const fast = ['--lock-duration', '1500', '--stalled-interval', '500'];
  workers.push(...(await Promise.all([startWorkerProcess(redis.url, QUEUE, fast), startWorkerProcess(redis.url, QUEUE, fast)])));
  ex = await createExecutor({ kind: 'distributed', redis: redis.url, queue: QUEUE });
});

after(async () => {
  await ex?.close();
  for (const w of workers) await stopProcess(w);
  await redis?.stop();
});

async function collect<R>(it: AsyncIterable<{ task: TaskSpec; result: R }>): Promise<Map<string, R>> {
  const m = new Map<string, R>();
  for await (const r of it) m.set(r.task.id, r.result);
  return m;
}

test('distributed: sees the connected workers and gives the same results as inline', async () => {
  assert.equal(ex.kind, 'distributed');
  assert.equal(ex.workers, 2);
  const tasks = Array.from({ length: 5 }, (_, i) => ({
    id: `t${i}`,
    entry: E('scale'),
    input: { k: i + 0.5, arr: Float64Array.from({ length: 300 }, (_, j) => Math.cos(j * i)), tag: new Map([['a', i]]) },
  }));
  const inl = await createExecutor({ kind: 'inline' });
  const a = await collect<any>(inl.runTasks(tasks));
  const b = await collect<any>(ex.runTasks(tasks));
  for (const t of tasks) assert.deepEqual(b.get(t.id), a.get(t.id));
  // Params: broadcast once, seen by tasks on every worker.
  const h = await ex.scatter({ calls: 0 });
  const r = await collect<number>(ex.runTasks([1, 2].map((i) => ({ id: `c${i}`, entry: E('countCalls'), input: null })), h));
  assert.equal(r.size, 2);
  await inl.close();
});

test('distributed: original error message and stack; progress messages arrive', async () => {
  await assert.rejects(collect(ex.runTasks([{ id: 'bad', entry: E('explode'), input: { n: 7 } }])), (e: NunatakError) => {
    assert.equal(e.code, 'EXEC');
    assert.match(e.message, /task 'bad'.*RangeError: boom 7/);
    assert.match((e.cause as Error).stack!, /explodeDeeply/);
    return true;
  });
  const seen: unknown[] = [];
  const r = await collect(ex.runTasks([{ id: 'p', entry: E('steps'), input: { n: 3 } }], undefined, { onProgress: (_id, m) => seen.push(m) }));
  assert.equal(r.get('p'), 3);
  // Progress travels through job progress events: all arrive, order per task kept.
  await new Promise((res) => setTimeout(res, 200));
  assert.deepEqual(seen, [0, 1, 2].map((s) => ({ step: s, of: 3 })));
});

test('distributed: cancellation removes queued jobs', async () => {
  const ac = new AbortController();
  const tasks = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, entry: E('slow'), input: { i, ms: 300 } }));
  let got = 0;
  await assert.rejects(
    (async () => {
      for await (const _r of ex.runTasks(tasks, undefined, { signal: ac.signal })) if (++got === 1) ac.abort();
    })(),
    (e: NunatakError) => e.code === 'CANCELLED',
  );
  const q = new Queue(QUEUE, { connection: { url: redis.url }, prefix: 'nunatak' });
  assert.equal(await q.getWaitingCount(), 0);
  await q.close();
});

test('distributed UDF runs equal inline, with ROIs', async () => {
  const ds = makeDataset();
  const inl = await Context.make({ kind: 'inline' });
  const dctx = new Context(ex);
  const mk = () => [new StdDevUDF(), new ApplyMasksUDF({ masks: denseMasks([diskMask(SIG, 4, 6, 3)]) }), new SumSigUDF()];
  for (const [name, roi] of roiCases()) {
    const a = await inl.runUdf(ds, mk(), { roi, numPartitions: 4 });
    const b = await dctx.runUdf(ds, mk(), { roi, numPartitions: 4 });
    a.forEach((r, i) => {
      for (const k of r.keys()) assertClose(b[i].get(k).rawData, r.get(k).rawData, 1e-12, 1e-12, `${name} ${k}`);
    });
  }
  await inl.close();
});

test('distributed: a worker killed mid-run has its task retried elsewhere; the result is unchanged', async () => {
  const ds = makeDataset();
  const roi = randomRoi(12, 0.8);
  const inl = await Context.make({ kind: 'inline' });
  const ref = await inl.runUdf(ds, new SumSigUDF(), { roi });
  await inl.close();
  const dctx = new Context(ex);
  const events = new QueueEvents(QUEUE, { connection: { url: redis.url }, prefix: 'nunatak' });
  await events.waitUntilReady();
  let stalled = 0;
  events.on('stalled', () => stalled++);
  let merged = 0;
  let killed = false;
  let last;
  for await (const p of dctx.runUdfIter(ds, new SlowSumSig(), { roi, numPartitions: 8 })) {
    merged++;
    if (!killed) {
      // Both workers are busy (8 slow partitions); kill one while it holds a job.
      killed = true;
      await stopProcess(workers[0], 'SIGKILL');
    }
    last = p;
  }
  await events.close();
  assert.equal(merged, 8);
  // The killed worker's job was detected as stalled and run again by the other worker.
  assert.ok(stalled >= 1, `stalled events: ${stalled}`);
  assertClose(last!.buffers[0].get('s').data, ref.get('intensity').data, 1e-12, 1e-9, 'after kill');
});

test('distributed: Redis unreachable or no workers give a clear error, not a hang', async () => {
  const port = await freePort();
  await assert.rejects(createExecutor({ kind: 'distributed', redis: `redis://127.0.0.1:${port}` }), (e: NunatakError) => {
    assert.equal(e.code, 'EXEC');
    assert.match(e.message, new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}`));
    return true;
  });
  await assert.rejects(createExecutor({ kind: 'distributed' }), /needs a Redis URL/);
  await assert.rejects(createExecutor({ kind: 'distributed', redis: 'http://x' }), /must start with redis:\/\//);
  const lonely = await createExecutor({ kind: 'distributed', redis: redis.url, queue: 'nobody-listens', workerWaitMs: 300 });
  await assert.rejects(collect(lonely.runTasks([{ id: 'x', entry: E('steps'), input: { n: 1 } }])), /no nunatak worker is listening on queue 'nobody-listens'/);
  await lonely.close();
});
