// Distributed workers with their DEFAULT lock settings on a throwaway
// redis-server: a `kill -9`'d worker's task is taken over by the other worker
// (measured, reported as a diagnostic), and a task that throws, rejects or
// leaves stray errors behind never wedges or kills its worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createExecutor } from '../../src/exec/create.js';
import type { Executor, TaskSpec } from '../../src/exec/contract.js';
import type { NunatakError } from '../../src/core/errors.js';
import { startRedis, startWorkerProcess, stopProcess, type RedisServer } from '../helpers/redis-server.js';

const FIX = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
const E = (n: string) => `${FIX}#${n}`;
let redis: RedisServer;
const procs: ChildProcess[] = [];
const executors: Executor[] = [];

before(async () => {
  redis = await startRedis();
});

after(async () => {
  for (const ex of executors) await ex.close();
  for (const p of procs) await stopProcess(p, 'SIGKILL');
  await redis?.stop();
});

async function collect<R>(it: AsyncIterable<{ task: TaskSpec; result: R }>): Promise<Map<string, R>> {
  const m = new Map<string, R>();
  for await (const r of it) m.set(r.task.id, r.result);
  return m;
}

test('distributed: a task that throws, rejects or leaves stray errors never wedges its worker', { timeout: 30_000 }, async () => {
  const log: string[] = [];
  const w = await startWorkerProcess(redis.url, 'solo', [], log);
  procs.push(w);
  const ex = await createExecutor({ kind: 'distributed', redis: redis.url, queue: 'solo' });
  executors.push(ex);
  const bad: Array<[string, RegExp]> = [
    ['explode', /RangeError: boom 1/],
    ['rejectAfterAwait', /TypeError: late 1/],
    ['notAFunction', /expected a function/],
    ['nowhere', /export 'nowhere' not found/],
  ];
  for (const [name, re] of bad) {
    await assert.rejects(collect(ex.runTasks([{ id: name, entry: E(name), input: { n: 1 } }])), (e: NunatakError) => {
      assert.equal(e.code, 'EXEC');
      assert.match(e.message, re);
      return true;
    });
  }
  assert.equal((await collect(ex.runTasks([{ id: 's', entry: E('strayErrors'), input: null }]))).get('s'), 'ok');
  // The same single worker process is alive and runs the next tasks.
  const r = await collect<number>(ex.runTasks([1, 2, 3].map((i) => ({ id: `p${i}`, entry: E('pid'), input: null }))));
  assert.deepEqual([...r.values()], [w.pid, w.pid, w.pid]);
  assert.equal(w.exitCode, null);
  const text = log.join('');
  assert.match(text, /a task left an unhandled error: stray (rejection|exception)/);
  assert.doesNotMatch(text, /^\s+at \S/m, 'no stack traces in the worker log');
});

test("distributed: a kill -9'd worker's task runs again on the other worker, with default lock settings", { timeout: 30_000 }, async (t) => {
  const a = await startWorkerProcess(redis.url, 'pair');
  const b = await startWorkerProcess(redis.url, 'pair');
  procs.push(a, b);
  const ex = await createExecutor({ kind: 'distributed', redis: redis.url, queue: 'pair' });
  executors.push(ex);
  assert.equal(ex.workers, 2);
  const starts: Array<{ pid: number; at: number }> = [];
  let killedAt = 0;
  const onProgress = (_id: string, m: unknown) => {
    const pid = (m as { pid: number }).pid;
    starts.push({ pid, at: Date.now() });
    if (starts.length === 1) {
      killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
    }
  };
  const r = await collect<number>(ex.runTasks([{ id: 'held', entry: E('holdWithPid'), input: { ms: 1500 } }], undefined, { onProgress }));
  assert.equal(starts.length, 2, 'started once on each worker');
  const [first, second] = starts;
  assert.notEqual(first.pid, second.pid);
  assert.equal(r.get('held'), second.pid, 'the result comes from the surviving worker');
  const killed = first.pid === a.pid ? a : b;
  await new Promise<void>((res) => (killed.exitCode !== null || killed.signalCode !== null ? res() : killed.once('exit', () => res())));
  assert.equal(killed.signalCode, 'SIGKILL');
  t.diagnostic(`task restarted ${((second.at - killedAt) / 1000).toFixed(1)} s after kill -9 (defaults: lockDuration 5 s, stalledInterval 2 s)`);
});
