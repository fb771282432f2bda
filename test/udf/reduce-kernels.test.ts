// The SIMD wasm reductions of the UDF face against scalar float64 references
// on the same float32 input: sums exact (each element's frames summed in f64
// in the same order), block moments + Chan combination to rtol 1e-12; and the
// UDF runs that use them leave no kernel memory allocated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocF64, freeF64, reduceKernels } from '../../src/udf/reduce-kernels.js';
import { Context } from '../../src/udf/context.js';
import { MemoryDataset } from '../../src/udf/dataset/memory.js';
import { SumUDF } from '../../src/udf/builtins/sum.js';
import { StdDevUDF } from '../../src/udf/builtins/stddev.js';
import { assertClose } from './helpers.js';

const k = reduceKernels();

test('sumF32 and momentsF32 equal float64 loops (odd sizes hit the scalar tails)', { skip: !k && 'kernels not built (npm run build:kernels)' }, () => {
  const kk = k!;
  for (const [n, depth] of [[37, 5], [64, 1], [1003, 16]]) {
    const x = kk.memory.allocF32(n * depth);
    for (let i = 0; i < x.length; i++) x[i] = Math.fround(Math.sin(i * 0.37) * 100 + (i % 7));
    const acc = allocF64(kk, 3 * n);
    const sum = acc.subarray(0, n);
    sum.fill(0.25);
    kk.sumF32(0, n, sum.byteOffset, x.byteOffset, n, depth);
    const ref = Float64Array.from({ length: n }, (_, i) => {
      let s = 0.25;
      for (let f = 0; f < depth; f++) s += x[f * n + i];
      return s;
    });
    assert.deepEqual(Array.from(sum), Array.from(ref), `sum n=${n}`);
    // Moments over two blocks: first (na = 0) the block's own, then combined (na = depth).
    const S = acc.subarray(n, 2 * n);
    const M2 = acc.subarray(2 * n, 3 * n);
    kk.momentsF32(0, n, S.byteOffset, M2.byteOffset, x.byteOffset, n, depth, 0);
    kk.momentsF32(0, n, S.byteOffset, M2.byteOffset, x.byteOffset, n, depth, depth);
    const refM2 = Float64Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let f = 0; f < depth; f++) s += x[f * n + i];
      const m = s / depth;
      let q = 0;
      for (let f = 0; f < depth; f++) q += (x[f * n + i] - m) ** 2;
      return 2 * q; // the same block twice: M2 doubles, the mean is unchanged
    });
    assertClose(S, ref.map((v) => 2 * (v - 0.25)), 1e-15, 0, `S n=${n}`);
    assertClose(M2, refM2, 1e-12, 1e-9, `M2 n=${n}`);
    freeF64(kk, acc);
    kk.memory.release(x);
  }
});

test('SumUDF / StdDevUDF on float32 frames use the kernels and release their memory', { skip: !k && 'kernels not built' }, async () => {
  const nav = 23;
  const sig = [5, 7];
  const data = Float32Array.from({ length: nav * 35 }, (_, i) => Math.fround(Math.cos(i) * 10 + i / 100));
  const before = k!.memory.allocatedBytes;
  // Count kernel calls (the UDFs look the functions up on this cached object).
  const calls = { sum: 0, mom: 0 };
  const [sumF32, momentsF32] = [k!.sumF32, k!.momentsF32];
  k!.sumF32 = (...a) => (calls.sum++, sumF32(...a));
  k!.momentsF32 = (...a) => (calls.mom++, momentsF32(...a));
  const ctx = await Context.make({ kind: 'inline' });
  const [s, sd] = await ctx.runUdf(new MemoryDataset({ data, navShape: [nav], sigShape: sig }), [new SumUDF(), new StdDevUDF()], { tileShape: [4, 5, 7] });
  await ctx.close();
  [k!.sumF32, k!.momentsF32] = [sumF32, momentsF32];
  assert.deepEqual(calls, { sum: 6, mom: 6 }, 'one kernel call per tile of 4 frames (23 frames → 6 tiles)');
  assert.equal(k!.memory.allocatedBytes, before, 'no kernel memory left allocated');
  const sum = new Float64Array(35);
  for (let f = 0; f < nav; f++) for (let i = 0; i < 35; i++) sum[i] += data[f * 35 + i];
  assert.deepEqual(Array.from(s.get('intensity').data), Array.from(sum));
  const std = Float64Array.from({ length: 35 }, (_, i) => {
    const m = sum[i] / nav;
    let q = 0;
    for (let f = 0; f < nav; f++) q += (data[f * 35 + i] - m) ** 2;
    return Math.sqrt(q / nav);
  });
  assertClose(sd.get('std').data, std, 1e-12, 1e-12, 'std');
});
