/**
 * Native (ONNX Runtime MLAS) gemm vs a float64 reference computed here, for all
 * four transpose combinations, odd sizes and subarray views; the portable loop
 * against the same reference. Tolerance: 1e-5 relative to Σ|a||b| per entry
 * (float32 accumulation over k ≤ 300 terms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemm, gemmInto } from '../../../src/core/native/gemm.js';
import { nativeAvailable, nativeUnavailableReason, SyncSession, nativeThreads } from '../../../src/core/native/sync-session.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function check(n: number, k: number, m: number, tA: boolean, tB: boolean, portable: boolean) {
  const r = rng(n * 7 + k * 13 + m);
  // put A and B inside bigger buffers so byteOffset ≠ 0 is exercised
  const abuf = Float32Array.from({ length: n * k + 5 }, r), bbuf = Float32Array.from({ length: k * m + 3 }, r);
  const a = abuf.subarray(5), b = bbuf.subarray(3);
  const c = gemm(a, b, n, k, m, { transA: tA, transB: tB, portable });
  assert.equal(c.length, n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const av = tA ? a[p * n + i] : a[i * k + p], bv = tB ? b[j * k + p] : b[p * m + j];
        s += av * bv;
        sa += Math.abs(av * bv);
      }
      assert.ok(Math.abs(c[i * m + j] - s) <= 1e-5 * sa + 1e-7, `${n}×${k}×${m} tA=${tA} tB=${tB} portable=${portable} at (${i},${j}): ${c[i * m + j]} vs ${s}`);
    }
}

test('native path loads here (onnxruntime-node binding)', () => {
  assert.ok(nativeAvailable(), nativeUnavailableReason());
  assert.ok(nativeThreads() >= 1);
});

test('gemm matches a float64 reference for every transpose combination', () => {
  for (const portable of [false, true])
    for (const tA of [false, true])
      for (const tB of [false, true])
        for (const [n, k, m] of [[1, 1, 1], [3, 5, 7], [37, 300, 19], [64, 17, 130]]) check(n, k, m, tA, tB, portable);
});

test('gemmInto writes the same product into the caller’s array (old contents ignored) on both paths', () => {
  const a = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i)), b = Float32Array.from({ length: 4 * 5 }, (_, i) => Math.cos(i));
  for (const portable of [false, true]) {
    const c = new Float32Array(30).fill(NaN);
    assert.equal(gemmInto(c, a, b, 6, 4, 5, { portable }), c);
    assert.deepEqual(c, gemm(a, b, 6, 4, 5, { portable }));
  }
  assert.throws(() => gemmInto(new Float32Array(29), a, b, 6, 4, 5), /C has 29 values; expected 6×5/);
});

test('gemm rejects mismatched sizes and handles empty dimensions', () => {
  assert.throws(() => gemm(new Float32Array(6), new Float32Array(6), 2, 3, 3), /expected 2×3 and 3×3/);
  assert.deepEqual(gemm(new Float32Array(0), new Float32Array(0), 2, 0, 3), new Float32Array(6));
});

test('a SyncSession with an unknown input name fails with ONNX Runtime’s message, not a crash', async () => {
  const { OnnxGraphBuilder } = await import('../../../src/core/onnx/graph-builder.js');
  const g = new OnnxGraphBuilder('relu');
  g.output(g.relu(g.input('x', ['n'])), 'y');
  const s = new SyncSession(g.toBytes(), ['y']);
  assert.deepEqual(Array.from(s.run({ x: { data: Float32Array.of(-1, 2), dims: [2] } }).y.data), [0, 2]);
  assert.throws(() => s.run({ q: { data: Float32Array.of(1), dims: [1] } }));
  s.dispose();
});
