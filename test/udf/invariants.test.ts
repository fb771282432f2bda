// The LiberTEM invariants: executor equivalence, partition/tile independence,
// exact coverage, multi-UDF == separate, lazy getResults, partial results with
// damage, cancellation, meta/aux/syncOffset, and bad-input errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Context } from '../../src/udf/context.js';
import { SumUDF } from '../../src/udf/builtins/sum.js';
import { SumSigUDF } from '../../src/udf/builtins/sumsig.js';
import { StdDevUDF } from '../../src/udf/builtins/stddev.js';
import { ApplyMasksUDF, denseMasks, diskMask } from '../../src/udf/builtins/masks.js';
import { CoMUDF } from '../../src/udf/builtins/com.js';
import { MemoryDataset } from '../../src/udf/dataset/memory.js';
import { auxData } from '../../src/udf/aux.js';
import type { UDFResults } from '../../src/udf/results.js';
import type { UDF } from '../../src/udf/udf.js';
import * as F from './fixtures/udfs.js';
import { assertClose, frame, makeData, makeDataset, randomRoi, roiCases, roiFrames, roiOf, NAV, NAV_SIZE, SIG, SIG_SIZE } from './helpers.js';

const FIX = fileURLToPath(new URL('./fixtures/udfs.ts', import.meta.url));
const data = makeData(11);
const ds = makeDataset(data);
const ctxs: Context[] = [];
async function ctxOf(kind: 'inline' | 'threads'): Promise<Context> {
  const c = await Context.make({ kind, workers: 2 });
  ctxs.push(c);
  return c;
}
after(async () => {
  for (const c of ctxs) await c.close();
});

const mkUdfs = (): UDF<any>[] => [new StdDevUDF(), new ApplyMasksUDF({ masks: denseMasks([diskMask(SIG, 4, 6, 3), diskMask(SIG, 2, 2, 2)]) }), new SumSigUDF(), new CoMUDF({ r: 4 })];

function flat(rs: UDFResults[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  rs.forEach((r, i) => {
    for (const k of r.keys()) out[`${i}.${k}`] = Float64Array.from(r.get(k).rawData);
  });
  return out;
}

test('inline and threads give the same results for several UDFs in one pass, under ROIs', async () => {
  const inl = await ctxOf('inline');
  const thr = await ctxOf('threads');
  for (const [name, roi] of [...roiCases(), ['random 2', randomRoi(99, 0.2)] as [string, Uint8Array]]) {
    const a = flat(await inl.runUdf(ds, mkUdfs(), { roi, numPartitions: 4 }));
    const b = flat(await thr.runUdf(ds, mkUdfs(), { roi, numPartitions: 4, progress: () => {} }));
    assert.deepEqual(Object.keys(b), Object.keys(a));
    // Merge order differs between executors (completion order): rtol 1e-12.
    for (const k of Object.keys(a)) assertClose(b[k], a[k], 1e-12, 1e-12, `${name} ${k}`);
  }
});

test('results do not depend on partition count (1…32) or tile shape, even tiles that do not divide the signal', async () => {
  const inl = await ctxOf('inline');
  const roi = randomRoi(5, 0.6);
  const ref = flat(await inl.runUdf(ds, [new StdDevUDF(), new SumUDF(), new SumSigUDF()], { roi, numPartitions: 1, tileShape: [63, 8, 12] }));
  for (const numPartitions of [1, 2, 3, 7, 16, 32]) {
    for (const tileShape of [[1, 8, 12], [3, 5, 7], [8, 3, 5], [5, 1, 11], [64, 8, 12]]) {
      const got = flat(await inl.runUdf(ds, [new StdDevUDF(), new SumUDF(), new SumSigUDF()], { roi, numPartitions, tileShape }));
      for (const k of Object.keys(ref)) assertClose(got[k], ref[k], 1e-12, 1e-12, `P=${numPartitions} tile=${tileShape} ${k}`);
    }
  }
});

test('every tile element is seen exactly once and never outside the ROI', async () => {
  const thr = await ctxOf('threads');
  for (const [name, roi] of roiCases()) {
    for (const tileShape of [[3, 5, 7], [2, 8, 5], [7, 3, 12]]) {
      const r = await thr.runUdf(ds, new F.ValidationUDF(), { roi, tileShape, numPartitions: 5 });
      const frames = roiFrames(roi);
      const seen = r.get('seen').rawData;
      assert.equal(seen.length, frames.length * SIG_SIZE);
      assert.ok(seen.every((v) => v === 1), `${name} ${tileShape}: coverage`);
      assert.deepEqual(Array.from(r.get('navIndex').rawData), frames, `${name}: nav indices`);
      const sums = frames.map((i) => frame(data, i).reduce((a, b) => a + b, 0));
      assertClose(r.get('tileSum').rawData, sums, 1e-12, 1e-9, `${name} tile data`);
    }
  }
});

test('frame, tile and partition methods give the same reduction', async () => {
  const inl = await ctxOf('inline');
  const roi = randomRoi(3);
  const [a, b, c] = await Promise.all([
    inl.runUdf(ds, new SumSigUDF(), { roi, tileShape: [3, 5, 7], numPartitions: 3 }),
    inl.runUdf(ds, new F.FrameSumSig(), { roi, numPartitions: 3 }),
    inl.runUdf(ds, new F.PartitionSumSig(), { roi, numPartitions: 3 }),
  ]);
  assertClose(b.get('s').data, a.get('intensity').data, 1e-12, 1e-9, 'frame vs tile');
  assertClose(c.get('s').data, a.get('intensity').data, 1e-12, 1e-9, 'partition vs tile');
  // Mixed methods in one pass.
  const [x, y, z] = await inl.runUdf(ds, [new SumSigUDF(), new F.FrameSumSig(), new F.PartitionSumSig()], { roi, numPartitions: 2 });
  assertClose(y.get('s').data, x.get('intensity').data, 1e-12, 1e-9, 'mixed frame');
  assertClose(z.get('s').data, x.get('intensity').data, 1e-12, 1e-9, 'mixed partition');
});

test('a multi-UDF pass equals separate runs', async () => {
  const thr = await ctxOf('threads');
  const roi = randomRoi(8);
  const together = flat(await thr.runUdf(ds, mkUdfs(), { roi, numPartitions: 3 }));
  const separate: Record<string, Float64Array> = {};
  const us = mkUdfs();
  for (let i = 0; i < us.length; i++) {
    const r = await thr.runUdf(ds, us[i], { roi, numPartitions: 3 });
    for (const k of r.keys()) separate[`${i}.${k}`] = Float64Array.from(r.get(k).rawData);
  }
  for (const k of Object.keys(together)) assertClose(together[k], separate[k], 1e-12, 1e-12, k);
});

test('getResults runs only when a result is read', async () => {
  const inl = await ctxOf('inline');
  F.LazyUDF.calls = 0;
  const r = await inl.runUdf(ds, new F.LazyUDF(), { numPartitions: 4 });
  for await (const _p of inl.runUdfIter(ds, new F.LazyUDF(), { numPartitions: 4 })) {
    /* partial results not read */
  }
  assert.equal(F.LazyUDF.calls, 0);
  assert.deepEqual(r.keys(), ['s']);
  assert.equal(F.LazyUDF.calls, 0);
  r.get('s');
  r.get('s');
  assert.equal(F.LazyUDF.calls, 1);
});

test('runUdfIter yields partial results and a growing damage mask after every merge; plots hook sees them', async () => {
  const thr = await ctxOf('threads');
  const roi = randomRoi(21, 0.5);
  let plotted = 0;
  const steps: Array<{ damage: Uint8Array; sum: Float64Array }> = [];
  for await (const p of thr.runUdfIter(ds, new SumSigUDF(), { roi, numPartitions: 6, plots: () => plotted++ })) {
    steps.push({ damage: p.damage, sum: Float64Array.from(p.buffers[0].get('intensity').data) });
  }
  assert.equal(steps.length, 6);
  assert.equal(plotted, 6);
  let prev = 0;
  for (const s of steps) {
    const n = s.damage.reduce((a, b) => a + b, 0);
    assert.ok(n > prev, 'damage grows');
    prev = n;
    // Damaged positions have values, undamaged ones are still 0 (outside ROI: NaN).
    for (let i = 0; i < NAV_SIZE; i++) {
      if (!roi[i]) assert.ok(Number.isNaN(s.sum[i]));
      else if (!s.damage[i]) assert.equal(s.sum[i], 0);
      else assert.ok(s.damage[i] && roi[i]);
    }
  }
  assert.deepEqual(Array.from(steps.at(-1)!.damage), Array.from(roi));
});

test('cancellation stops a run with CANCELLED (threads and inline)', async () => {
  for (const kind of ['threads', 'inline'] as const) {
    const c = await ctxOf(kind);
    const ac = new AbortController();
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const _p of c.runUdfIter(ds, new F.SlowUDF(), { numPartitions: 16, signal: ac.signal })) {
          if (++seen === 1) ac.abort();
        }
      })(),
      (e: Error & { code?: string }) => e.code === 'CANCELLED',
    );
    assert.equal(seen, 1, kind);
  }
});

test('a UDF error comes back as EXEC with the original message and stack', async () => {
  const thr = await ctxOf('threads');
  await assert.rejects(thr.runUdf(ds, new F.ThrowingUDF()), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'EXEC');
    assert.match(e.message, /frame 5 is cursed/);
    assert.match((e.cause as Error).stack!, /processFrame/);
    return true;
  });
});

test('meta coordinates, aux data and syncOffset (positive and negative)', async () => {
  const thr = await ctxOf('threads');
  const weight = Float32Array.from({ length: NAV_SIZE }, (_, i) => i + 1);
  const roi = randomRoi(4);
  for (const syncOffset of [0, 5, -4]) {
    // Stored frames: NAV_SIZE; nav frame i is stored frame i + syncOffset (zeros outside).
    const sds = new MemoryDataset({ data, navShape: NAV, sigShape: SIG, syncOffset });
    const r = await thr.runUdf(sds, new F.AuxUDF({ weight: auxData(weight) }), { roi, numPartitions: 4 });
    const frames = roiFrames(roi);
    const w = r.get('weighted').rawData;
    const c = r.get('coords').rawData;
    frames.forEach((i, k) => {
      const s = i + syncOffset;
      const v0 = s >= 0 && s < NAV_SIZE ? data[s * SIG_SIZE] : 0;
      assert.equal(w[k], v0 * (i + 1), `sync ${syncOffset} frame ${i}`);
      assert.deepEqual([c[2 * k], c[2 * k + 1]], [Math.floor(i / NAV[1]), i % NAV[1]]);
    });
  }
  assert.throws(() => new MemoryDataset({ data, navShape: NAV, sigShape: SIG, syncOffset: 63 }), /syncOffset must be an integer in \(-63, 63\)/);
  await assert.rejects(thr.runUdf(ds, new F.AuxUDF({ weight: auxData(new Float32Array(5)) })), /aux data parameter 'weight' has 5 elements, expected nav size 63/);
});

test('ctx.map infers scalar and vector results from a frame function', async () => {
  const thr = await ctxOf('threads');
  const m = await thr.map(ds, `${FIX}#frameMax`, { roi: roiOf([1, 2, 60]) });
  assert.deepEqual(Array.from(m.get('result').rawData), [1, 2, 60].map((i) => Math.max(...frame(data, i))));
  const v = await thr.map(ds, `${FIX}#frameFirstTwo`);
  assert.deepEqual(v.get('result').shape, [...NAV, 2]);
  assert.deepEqual(Array.from(v.get('result').data.subarray(10, 12)), [data[5 * SIG_SIZE], data[5 * SIG_SIZE + 1]]);
});

test('ROI is copied: changing it after the run starts has no effect', async () => {
  const inl = await ctxOf('inline');
  const roi = roiOf([3, 4]);
  const it = inl.runUdfIter(ds, new SumSigUDF(), { roi, numPartitions: 1 });
  const first = it.next();
  roi[10] = 1;
  const r = (await first).value!;
  assert.deepEqual(roiFrames(Uint8Array.from(r.damage)), [3, 4]);
  await it.return(undefined);
});

test('bad input: ROI shape, missing merge, wrong dtype, undeclared buffers, no entry', async () => {
  const inl = await ctxOf('inline');
  await assert.rejects(inl.runUdf(ds, new SumUDF(), { roi: new Uint8Array(10) }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'SHAPE');
    assert.match(e.message, /ROI has 10 elements, expected one per nav position: navShape \[9,7\] = 63/);
    return true;
  });
  await assert.rejects(inl.runUdf(ds, new F.NoMergeUDF()), /must define merge\(dest, src\): buffer\(s\) 'acc' \(sig\)/);
  await assert.rejects(inl.runUdf(ds, new F.WrongDtypeUDF()), (e: Error & { cause?: { code?: string; message: string } }) => {
    assert.equal(e.cause?.code, 'DTYPE');
    assert.match(e.cause!.message, /buffer 'v' is declared float32 but was given float64 data/);
    return true;
  });
  await assert.rejects(inl.runUdf(ds, new F.UndeclaredUDF()), /cannot write undeclared buffer 'w'/);
  const r = await inl.runUdf(ds, new F.UndeclaredResultUDF());
  assert.throws(() => r.get('v'), /getResults returned undeclared buffer 'extra'/);
  await assert.rejects(inl.runUdf(ds, new F.NoEntryUDF()), /UDF class NoEntryUDF has no static entry/);
  await assert.rejects(inl.runUdf(ds, new SumUDF(), { tileShape: [2, 3] }), /tileShape must be \[depth, s0, s1\]/);
  const sd = await inl.runUdf(ds, new StdDevUDF());
  assert.throws(() => sd.get('sum'), /no result 'sum' \(it is private\)/);
  assert.throws(() => sd.get('stdd'), /did you mean 'std'/);
});

test('all-zero and all-one ROIs', async () => {
  const inl = await ctxOf('inline');
  const none = new Uint8Array(NAV_SIZE);
  const [sum, sumsig, sd] = await inl.runUdf(ds, [new SumUDF(), new SumSigUDF(), new StdDevUDF()], { roi: none });
  assert.ok(sum.get('intensity').data.every((v) => v === 0), 'empty sum is 0');
  assert.ok(sumsig.get('intensity').data.every((v) => Number.isNaN(v)), 'no frame: NaN everywhere');
  assert.equal(sumsig.get('intensity').rawData.length, 0);
  assert.equal(sd.get('num_frames').data[0], 0);
  const all = new Uint8Array(NAV_SIZE).fill(1);
  const [a, b] = await Promise.all([inl.runUdf(ds, new SumSigUDF(), { roi: all }), inl.runUdf(ds, new SumSigUDF())]);
  assert.deepEqual(a.get('intensity').data, b.get('intensity').data);
});
