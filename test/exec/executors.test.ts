// Executor seam: inline and threads give the same results, propagate the
// task's original error, cancel, report progress, and share params.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createExecutor } from '../../src/exec/create.js';
import type { Executor, TaskSpec } from '../../src/exec/contract.js';
import { NunatakError } from '../../src/core/errors.js';

const FIX = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
const E = (name: string) => `${FIX}#${name}`;

const execs: Executor[] = [];
async function make(kind: 'inline' | 'threads', workers = 2): Promise<Executor> {
  const ex = await createExecutor({ kind, workers });
  execs.push(ex);
  return ex;
}
after(async () => {
  for (const ex of execs) await ex.close();
});

async function collect<R>(it: AsyncIterable<{ task: TaskSpec; result: R }>): Promise<Map<string, R>> {
  const m = new Map<string, R>();
  for await (const r of it) m.set(r.task.id, r.result);
  return m;
}

test('inline and threads give identical results for typed arrays, Maps and Dates', async () => {
  const tasks = Array.from({ length: 6 }, (_, i) => ({
    id: `t${i}`,
    entry: E('scale'),
    input: { k: i + 0.5, arr: Float64Array.from({ length: 1000 }, (_, j) => Math.sin(j + i)), tag: new Map([['a', i]]) },
  }));
  const a = await collect<any>((await make('inline')).runTasks(tasks));
  const b = await collect<any>((await make('threads')).runTasks(tasks));
  assert.equal(a.size, 6);
  assert.equal(b.size, 6);
  for (const t of tasks) {
    // Exact equality: both are the same float64 products, only serialised differently.
    assert.deepEqual(b.get(t.id), a.get(t.id));
    assert.ok(a.get(t.id).out instanceof Float64Array);
    assert.equal(a.get(t.id).out[3], t.input.arr[3] * t.input.k);
    assert.ok(b.get(t.id).date instanceof Date);
  }
});

for (const kind of ['inline', 'threads'] as const) {
  test(`${kind}: task error re-thrown as EXEC with original message and stack`, async () => {
    const ex = await make(kind);
    await assert.rejects(
      collect(ex.runTasks([{ id: 'bad', entry: E('explode'), input: { n: 42 } }])),
      (e: NunatakError) => {
        assert.equal(e.code, 'EXEC');
        assert.match(e.message, /task 'bad'/);
        assert.match(e.message, /RangeError: boom 42/);
        const cause = e.cause as Error;
        assert.equal(cause.message, 'boom 42');
        assert.equal(cause.name, 'RangeError');
        // The stack is the task's own, naming the throwing function and file.
        assert.match(cause.stack!, /explodeDeeply/);
        assert.match(cause.stack!, /fixtures\/tasks\.ts/);
        return true;
      },
    );
    // The executor still works after a failed task.
    const ok = await collect(ex.runTasks([{ id: 's', entry: E('steps'), input: { n: 1 } }]));
    assert.equal(ok.get('s'), 1);
  });

  test(`${kind}: unknown export and non-function entry are PLUGIN/NOT_FOUND causes`, async () => {
    const ex = await make(kind);
    await assert.rejects(collect(ex.runTasks([{ id: 'x', entry: E('explod'), input: {} }])), (e: NunatakError) => {
      assert.equal(e.code, 'EXEC');
      assert.equal((e.cause as { code?: string }).code, 'NOT_FOUND');
      assert.match(e.message, /no export 'explod'.*did you mean 'explode'/);
      return true;
    });
    await assert.rejects(collect(ex.runTasks([{ id: 'y', entry: E('notAFunction'), input: {} }])), /is a number, expected a function/);
    await assert.rejects(collect(ex.runTasks([{ id: 'z', entry: './no/such/file.ts#f', input: {} }])), /cannot load module '.\/no\/such\/file.ts'/);
  });

  test(`${kind}: results that cannot be serialised fail like they would on another machine`, async () => {
    const ex = await make(kind);
    await assert.rejects(collect(ex.runTasks([{ id: 'f', entry: E('returnsFunction'), input: {} }])), /cannot be serialised/);
  });

  test(`${kind}: progress messages reach the caller with the task id`, async () => {
    const ex = await make(kind);
    const seen: Array<[string, unknown]> = [];
    const tasks = [
      { id: 'p1', entry: E('steps'), input: { n: 3 } },
      { id: 'p2', entry: E('steps'), input: { n: 2 } },
    ];
    const r = await collect(ex.runTasks(tasks, undefined, { onProgress: (id, msg) => seen.push([id, msg]) }));
    assert.equal(r.get('p1'), 3);
    assert.deepEqual(
      seen.filter(([id]) => id === 'p1').map(([, m]) => m),
      [0, 1, 2].map((s) => ({ step: s, of: 3 })),
    );
    assert.equal(seen.filter(([id]) => id === 'p2').length, 2);
  });

  test(`${kind}: cancellation stops the run, queued tasks never start`, async () => {
    const ex = await make(kind);
    const ac = new AbortController();
    const started = new Set<string>();
    const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, entry: E('slow'), input: { i, ms: 60 } }));
    let got = 0;
    await assert.rejects(
      (async () => {
        for await (const _r of ex.runTasks(tasks, undefined, { signal: ac.signal, onProgress: (id) => started.add(id) })) {
          got++;
          if (got === 2) ac.abort();
        }
      })(),
      (e: NunatakError) => e.code === 'CANCELLED',
    );
    assert.equal(got, 2);
    assert.ok(started.size < tasks.length, `started ${started.size} of ${tasks.length}`);
    // Already-aborted signal: nothing runs.
    await assert.rejects(collect(ex.runTasks(tasks, undefined, { signal: ac.signal })), /cancelled/);
  });
}

test('inline: scattered params are decoded once and shared by all tasks', async () => {
  const ex = await make('inline');
  const h = await ex.scatter({});
  const r = await collect<number>(ex.runTasks([1, 2, 3].map((i) => ({ id: `n${i}`, entry: E('countCalls'), input: null })), h));
  assert.deepEqual([...r.values()], [1, 2, 3]);
});

test('threads: large scattered arrays live in one SharedArrayBuffer seen by all workers', async () => {
  const ex = await make('threads', 2);
  const big = new Float64Array(1 << 17); // 1 MiB
  const h = await ex.scatter({ big });
  const n = 8;
  const r = await collect<{ shared: boolean; length: number }>(
    ex.runTasks(Array.from({ length: n }, (_, i) => ({ id: `m${i}`, entry: E('mark'), input: { i } })), h),
  );
  for (const v of r.values()) assert.deepEqual(v, { shared: true, length: big.length });
  // Each marker was written by whichever worker ran that task; a later task on
  // any worker sees all of them only if the workers share one buffer.
  for (let rep = 0; rep < 2; rep++) {
    const marks = await collect<number[]>(ex.runTasks([{ id: 'read', entry: E('readMarks'), input: { n } }], h));
    assert.deepEqual(marks.get('read'), Array.from({ length: n }, (_, i) => i + 1));
  }
  // The caller's own array is never written (params were copied into shared memory once).
  assert.equal(big[0], 0);
});

test('threads: a worker that dies fails its task with EXEC and is replaced', async () => {
  const ex = await make('threads', 1);
  await assert.rejects(collect(ex.runTasks([{ id: 'd', entry: E('die'), input: null }])), (e: NunatakError) => {
    assert.equal(e.code, 'EXEC');
    assert.match(e.message, /task 'd'.*died: worker exited with code 3/);
    return true;
  });
  const ok = await collect(ex.runTasks([{ id: 's', entry: E('steps'), input: { n: 2 } }]));
  assert.equal(ok.get('s'), 2);
});

test('createExecutor rejects unknown kinds and bad worker counts', async () => {
  await assert.rejects(createExecutor({ kind: 'thread' as 'threads' }), /unknown executor kind 'thread' — did you mean 'threads'/);
  await assert.rejects(createExecutor({ kind: 'threads', workers: 0 }), /workers must be a positive integer/);
});
