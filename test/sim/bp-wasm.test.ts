// The Blatter–Pattyn AssemblyScript kernel against the float64 TypeScript
// reference: energy to 1e-5 relative and gradient to 1e-4·max|g| (periodic /
// no_slip / m 3, 1; 15 columns, so rows mix f32x4 groups of 4 corners with
// scalar f64 corners; seen: ≤ 1e-7 and ≤ 3e-7); the all-scalar path
// (simd: false, f64 arithmetic like the reference) to 1e-12; row bands on 2 worker threads give results identical to
// one thread (each cell row is summed by one corner row, so no rounding
// differs); arrays already in kernel memory are used in place; dispose frees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpProblem, defaultBPSettings, setBPThreads, bpThreads } from '../../src/sim/physics/bp/index.ts';
import { kernelRuntime } from '../../src/kernels/runtime.ts';
import { isNunatakError } from '../../src/core/errors.ts';
import { bpFixture, smoothVelocity } from './bp-helpers.ts';

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

for (const periodic of [false, true]) {
  for (const no_slip of [false, true]) {
    for (const m of [3, 1]) {
      if (no_slip && m === 1) continue;
      test(`wasm kernel = TS reference: periodic ${periodic}, no_slip ${no_slip}, n 3, m ${m}`, () => {
        const g = bpFixture({ periodic, nx: 15, ny: 10 });
        const s = defaultBPSettings({ Nz: 7, periodic, no_slip, exp_weertman: m });
        const T = bpProblem(g, s, { backend: 'ts' });
        const W = bpProblem(g, s);
        const U = smoothVelocity(7, 10, 15, 5), V = smoothVelocity(7, 10, 15, 6, 12);
        const gt = [new Float32Array(T.size), new Float32Array(T.size)];
        const gw = [new Float32Array(T.size).fill(9), new Float32Array(T.size).fill(9)];
        const Jt = T.energy(U, V, gt[0], gt[1]);
        const Jw = W.energy(U, V, gw[0], gw[1]);
        assert.ok(Math.abs(Jw / Jt - 1) < 1e-5, `J wasm ${Jw} vs ts ${Jt}`);
        assert.equal(W.energy(U, V), Jw, 'energy without gradient');
        const gmax = Math.max(maxAbs(gt[0]), maxAbs(gt[1]));
        for (let q = 0; q < 2; q++) {
          for (let i = 0; i < T.size; i++) {
            assert.ok(Math.abs(gw[q][i] - gt[q][i]) <= 1e-4 * gmax, `${q ? 'gV' : 'gU'}[${i}] wasm ${gw[q][i]} vs ts ${gt[q][i]}`);
          }
        }
        assert.deepEqual(W.free, T.free);
        W.dispose();
        const S = bpProblem(g, s, { simd: false });
        const Js = S.energy(U, V);
        assert.ok(Math.abs(Js / Jt - 1) < 1e-12, `J scalar wasm ${Js} vs ts ${Jt}`);
        S.dispose();
      });
    }
  }
}

test('wasm kernel: 2 worker threads = 1 thread exactly; in-place kernel-memory arrays; dispose frees', async () => {
  const mem = kernelRuntime().memory;
  const before = mem.allocatedBytes;
  const g = bpFixture({ nx: 24, ny: 21, periodic: true });
  const s = defaultBPSettings({ Nz: 5, periodic: true });
  const U = smoothVelocity(5, 21, 24, 8), V = smoothVelocity(5, 21, 24, 9);
  const one = bpProblem(g, s, { threads: 1 });
  const g1 = [new Float32Array(one.size), new Float32Array(one.size)];
  const J1 = one.energy(U, V, g1[0], g1[1]);
  await setBPThreads(2, 0);
  try {
    assert.equal(bpThreads(), 2);
    const two = bpProblem(g, s, { threads: 2 });
    const Uk = mem.fromArray(U), Vk = mem.fromArray(V), gUk = mem.allocF32(U.length), gVk = mem.allocF32(U.length);
    const J2 = two.energy(Uk, Vk, gUk, gVk);
    assert.equal(J2, J1);
    assert.deepEqual(gUk, g1[0]);
    assert.deepEqual(gVk, g1[1]);
    for (const v of [Uk, Vk, gUk, gVk]) mem.release(v);
    two.dispose();
    assert.throws(() => bpProblem(g, s, { threads: 3 }), (e: unknown) => isNunatakError(e, 'CONFIG') && /setBPThreads\(3\)/.test(e.hint ?? ''));
  } finally {
    await setBPThreads(1);
  }
  one.dispose();
  assert.equal(mem.allocatedBytes, before, 'kernel memory released');
  assert.throws(() => one.energy(U, V), (e: unknown) => isNunatakError(e, 'INPUT'));
});
