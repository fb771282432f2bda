// Every built-in UDF against a straightforward float64 reference computed here
// with plain loops over the same frames (under random ROIs, tiles that do not
// divide the signal, several partitions). Tolerances: sums of ≤63 float32
// values accumulated in float64 in another order: rtol 1e-12.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '../../src/udf/context.js';
import { SumUDF } from '../../src/udf/builtins/sum.js';
import { SumSigUDF } from '../../src/udf/builtins/sumsig.js';
import { StdDevUDF } from '../../src/udf/builtins/stddev.js';
import { LogsumUDF } from '../../src/udf/builtins/logsum.js';
import { ApplyMasksUDF, denseMasks, diskMask, ringMask, sparseMasks } from '../../src/udf/builtins/masks.js';
import { CoMUDF } from '../../src/udf/builtins/com.js';
import { PickUDF } from '../../src/udf/builtins/pick.js';
import { MemoryDataset } from '../../src/udf/dataset/memory.js';
import { assertClose, frame, makeData, makeDataset, roiCases, roiFrames, NAV, SIG, SIG_SIZE } from './helpers.js';

let ctx: Context;
after(() => ctx?.close());
const data = makeData(3);
const ds = makeDataset(data);
const opts = { tileShape: [4, 5, 7], numPartitions: 3 };

test('sum, sumsig, stddev, logsum equal plain-loop references under every ROI case', async () => {
  ctx = await Context.make({ kind: 'inline' });
  for (const [name, roi] of roiCases()) {
    const frames = roiFrames(roi);
    const [sum, sumsig, sd] = await ctx.runUdf(ds, [new SumUDF(), new SumSigUDF(), new StdDevUDF()], { ...opts, roi });
    // Logsum needs whole frames (the frame minimum), so not the split tile shape.
    const logsum = await ctx.runUdf(ds, new LogsumUDF(), { numPartitions: 3, roi });
    const rs = new Float64Array(SIG_SIZE);
    const rss = new Float64Array(NAV[0] * NAV[1]).fill(NaN);
    const rl = new Float64Array(SIG_SIZE);
    for (const i of frames) {
      const f = frame(data, i);
      let s = 0;
      let mn = Infinity;
      for (let k = 0; k < SIG_SIZE; k++) {
        rs[k] += f[k];
        s += f[k];
        mn = Math.min(mn, f[k]);
      }
      rss[i] = s;
      for (let k = 0; k < SIG_SIZE; k++) rl[k] += Math.log(f[k] - mn + 1);
    }
    // Two-pass mean and population variance.
    const mean = rs.map((v) => v / frames.length);
    const vr = new Float64Array(SIG_SIZE);
    for (const i of frames) for (let k = 0; k < SIG_SIZE; k++) vr[k] += (frame(data, i)[k] - mean[k]) ** 2 / frames.length;
    assertClose(sum.get('intensity').data, rs, 1e-12, 0, `${name} sum`);
    assertClose(sumsig.get('intensity').data, rss, 1e-12, 0, `${name} sumsig`);
    assertClose(sd.get('mean').data, mean, 1e-12, 0, `${name} mean`);
    assertClose(sd.get('var').data, vr, 1e-9, 1e-12, `${name} var`);
    assertClose(sd.get('std').data, vr.map(Math.sqrt), 1e-9, 1e-12, `${name} std`);
    assert.equal(sd.get('num_frames').data[0], frames.length);
    assertClose(logsum.get('logsum').data, rl, 1e-12, 0, `${name} logsum`);
    assert.deepEqual(sumsig.get('intensity').shape, NAV);
    assert.deepEqual(sum.get('intensity').shape, SIG);
  }
});

test('stddev is stable for a large mean (Welford/Chan, not sum of squares)', async () => {
  // float32 values 1e4 + small noise: a naive E[x²]−E[x]² in float64 would still
  // pass, so use float64 data with mean 1e9 where the naive form loses everything.
  const n = 40;
  const d = Float64Array.from({ length: n * 4 }, (_, i) => 1e9 + ((i * 37) % 11) * 0.25);
  const mds = new MemoryDataset({ data: d, navShape: [n], sigShape: [2, 2] });
  const r = await ctx.runUdf(mds, new StdDevUDF(), { numPartitions: 5, tileShape: [3, 2, 2] });
  const ref = new Float64Array(4);
  for (let k = 0; k < 4; k++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += d[i * 4 + k] - 1e9;
    m /= n;
    for (let i = 0; i < n; i++) ref[k] += (d[i * 4 + k] - 1e9 - m) ** 2 / n;
  }
  assertClose(r.get('var').data, ref, 1e-6, 0, 'var at mean 1e9');
});

test('masks: dense and sparse, several at once, equal dot products', async () => {
  const m1 = diskMask(SIG, 3.5, 5.5, 3);
  const m2 = ringMask(SIG, 3.5, 5.5, 2, 5);
  const m3 = Float32Array.from({ length: SIG_SIZE }, (_, k) => (k % 5) - 2);
  const list = [m1, m2, m3];
  for (const [name, roi] of roiCases()) {
    const [dense, sparse] = await ctx.runUdf(ds, [new ApplyMasksUDF({ masks: denseMasks(list) }), new ApplyMasksUDF({ masks: sparseMasks(list) })], { ...opts, roi });
    const ref = new Float64Array(63 * 3).fill(NaN);
    for (const i of roiFrames(roi)) {
      list.forEach((m, j) => {
        let s = 0;
        for (let k = 0; k < SIG_SIZE; k++) s += frame(data, i)[k] * m[k];
        ref[i * 3 + j] = s;
      });
    }
    assert.deepEqual(dense.get('intensity').shape, [...NAV, 3]);
    assertClose(dense.get('intensity').data, ref, 1e-12, 1e-9, `${name} dense`);
    assertClose(sparse.get('intensity').data, ref, 1e-12, 1e-9, `${name} sparse`);
  }
  await assert.rejects(ctx.runUdf(ds, new ApplyMasksUDF({ masks: { kind: 'dense', count: 2, values: new Float32Array(5) } })), /dense masks hold 5 values, expected 2 × sig size 96/);
});

test('centre of mass: raw com, shifts, field, divergence and curl against references', async () => {
  // Frames with one bright pixel at a known place: com is exactly that pixel.
  const [ny, nx] = [5, 6];
  const [h, w] = [9, 11];
  const d = new Float32Array(ny * nx * h * w);
  const py = (j: number, i: number) => 2 + ((j * 3 + i) % 5);
  const px = (j: number, i: number) => 1 + ((j + 2 * i) % 9);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) d[(j * nx + i) * h * w + py(j, i) * w + px(j, i)] = 2 + j;
  const cds = new MemoryDataset({ data: d, navShape: [ny, nx], sigShape: [h, w] });
  const rot = 30;
  const r = await ctx.runUdf(cds, new CoMUDF({ cy: 4, cx: 5, scanRotation: rot, flipY: true }), { numPartitions: 4 });
  const th = (rot * Math.PI) / 180;
  const FY = new Float64Array(ny * nx);
  const FX = new Float64Array(ny * nx);
  const com = r.get('raw_com').data;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      assert.equal(com[2 * k], py(j, i));
      assert.equal(com[2 * k + 1], px(j, i));
      const sy = -(py(j, i) - 4);
      const sx = px(j, i) - 5;
      FX[k] = Math.cos(th) * sx - Math.sin(th) * sy;
      FY[k] = Math.sin(th) * sx + Math.cos(th) * sy;
    }
  }
  assertClose(r.get('field_x').data, FX, 1e-12, 1e-12, 'field_x');
  assertClose(r.get('field_y').data, FY, 1e-12, 1e-12, 'field_y');
  assertClose(r.get('magnitude').data, FX.map((v, k) => Math.hypot(v, FY[k])), 1e-12, 1e-12, 'magnitude');
  // Divergence/curl: independent central differences (one-sided at edges, like numpy.gradient).
  const g = (a: Float64Array, j: number, i: number, ax: number) => {
    const at = (jj: number, ii: number) => a[jj * nx + ii];
    if (ax === 0) return j === 0 ? at(1, i) - at(0, i) : j === ny - 1 ? at(j, i) - at(j - 1, i) : (at(j + 1, i) - at(j - 1, i)) / 2;
    return i === 0 ? at(j, 1) - at(j, 0) : i === nx - 1 ? at(j, i) - at(j, i - 1) : (at(j, i + 1) - at(j, i - 1)) / 2;
  };
  const div = new Float64Array(ny * nx);
  const curl = new Float64Array(ny * nx);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      div[j * nx + i] = g(FY, j, i, 0) + g(FX, j, i, 1);
      curl[j * nx + i] = g(FX, j, i, 0) - g(FY, j, i, 1);
    }
  }
  assertClose(r.get('divergence').data, div, 1e-12, 1e-12, 'divergence');
  assertClose(r.get('curl').data, curl, 1e-12, 1e-12, 'curl');
  // A pure rotation field f = (−y, x)·c has curl 2c and divergence 0 (analytic check of the stencil).
  const { divCurl } = await import('../../src/udf/builtins/com.js');
  const ry = new Float64Array(ny * nx);
  const rx = new Float64Array(ny * nx);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) [ry[j * nx + i], rx[j * nx + i]] = [0.5 * i, -0.5 * j];
  const dc = divCurl(ry, rx, [ny, nx], null);
  assertClose(dc.curl, new Float64Array(ny * nx).fill(-1), 0, 1e-12, 'rotation curl');
  assertClose(dc.divergence, new Float64Array(ny * nx), 0, 1e-12, 'rotation divergence');
});

test('pick returns the frames of a small ROI in the native dtype', async () => {
  const u16 = Uint16Array.from(data, (v) => Math.round(v * 10));
  const ids = new MemoryDataset({ data: u16, navShape: NAV, sigShape: SIG });
  const roi = new Uint8Array(63);
  roi[4] = roi[40] = 1;
  const r = await ctx.runUdf(ids, new PickUDF(), { roi });
  const raw = r.get('intensity').rawData;
  assert.ok(raw instanceof Uint16Array);
  assert.deepEqual(Array.from(raw), [...u16.subarray(4 * SIG_SIZE, 5 * SIG_SIZE), ...u16.subarray(40 * SIG_SIZE, 41 * SIG_SIZE)]);
});
