// The Blatter–Pattyn solve's two L-BFGS vector backends (lbfgs-driver.ts):
// 'wasm' (all U, V entries in kernel memory, f64x2 SIMD passes, entries that
// are not free held at 0) against 'ts' (Float64Arrays of the free entries,
// the generic lbfgs.ts). Both run the same driver with element-wise the same
// arithmetic; only the summation order of dot products differs (≈ 1e-16
// relative per dot), so over a short run the iterates agree to round-off:
// energy and residual after every iteration to 1e-12 relative, the answer
// to float32 rounding (1e-6 of the largest speed). Over hundreds of
// iterations they drift apart (float32 rounding of the energy's input amplifies
// 1e-16 differences); that is not tested. Also: the wasm backend's thread
// split does not change a single bit, its kernel memory is given back, and
// a non-free entry stays exactly 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpProblem, defaultBPSettings, setBPThreads, type BPGeometry } from '../../../../src/sim/physics/bp/index.ts';
import { solveBP, type BPSolveOptions } from '../../../../src/sim/physics/bp/bp-solve.ts';
import { kernelRuntime } from '../../../../src/kernels/runtime.ts';
import { isNunatakError } from '../../../../src/core/errors.ts';

/** A bumpy-bed dome on an N² grid at 100 m with an ice-free margin (so there are non-free entries). */
function dome(N: number): BPGeometry {
  const thk = new Float32Array(N * N), usurf = new Float32Array(N * N);
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const x = (2 * i) / (N - 1) - 1, y = (2 * j) / (N - 1) - 1;
      const bed = 2500 + 60 * Math.sin(5 * x + 2 * y) - 100 * x;
      const h = Math.max(0, 250 * (1 - (x * x + 1.3 * y * y) / 0.7));
      thk[j * N + i] = h;
      usurf[j * N + i] = bed + h;
    }
  }
  return { nx: N, ny: N, dx: 100, thk, usurf, arrhenius: 78, slidingco: 0.0464 };
}

function solve(geom: BPGeometry, Nz: number, o: BPSolveOptions) {
  const P = bpProblem(geom, defaultBPSettings({ Nz }));
  const U = new Float32Array(P.size), V = new Float32Array(P.size);
  const energy: number[] = [], residual: number[] = [];
  const r = solveBP(P, U, V, { ...o, onIter: (_, e, q) => (energy.push(e), residual.push(q)) });
  const free = P.free;
  P.dispose();
  return { r, U, V, energy, residual, free };
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

test('bp vectors: wasm and ts backends give the same iterates over 25 iterations (energy, residual 1e-12 relative; U, V 1e-6 of max speed)', () => {
  const geom = dome(24);
  const ts = solve(geom, 6, { nbitmax: 25, rtol: 0, gtol: 0, vectors: 'ts' });
  const wa = solve(geom, 6, { nbitmax: 25, rtol: 0, gtol: 0, vectors: 'wasm' });
  assert.equal(ts.r.vectors, 'ts');
  assert.equal(wa.r.vectors, 'wasm');
  assert.ok(ts.free.includes(0) && ts.free.includes(1), 'the test grid has both free and imposed entries');
  assert.equal(wa.r.iterations, 25);
  assert.equal(wa.r.evaluations, ts.r.evaluations);
  for (let k = 0; k < 25; k++) {
    assert.ok(relDiff(wa.energy[k], ts.energy[k]) <= 1e-12, `energy at iteration ${k + 1}: ${wa.energy[k]} vs ${ts.energy[k]}`);
    assert.ok(relDiff(wa.residual[k], ts.residual[k]) <= 1e-12, `residual at iteration ${k + 1}: ${wa.residual[k]} vs ${ts.residual[k]}`);
  }
  // a real descent, not 25 copies of the start
  assert.ok(ts.residual[24] < 0.5 * ts.residual[0] && ts.energy[24] < ts.energy[0], `residual ${ts.residual[0]} → ${ts.residual[24]}`);
  let vmax = 0;
  for (let k = 0; k < ts.U.length; k++) vmax = Math.max(vmax, Math.hypot(ts.U[k], ts.V[k]));
  for (let k = 0; k < ts.U.length; k++) {
    assert.ok(Math.abs(wa.U[k] - ts.U[k]) <= 1e-6 * vmax && Math.abs(wa.V[k] - ts.V[k]) <= 1e-6 * vmax, `entry ${k}: (${wa.U[k]}, ${wa.V[k]}) vs (${ts.U[k]}, ${ts.V[k]})`);
    if (!ts.free[k]) assert.ok(wa.U[k] === 0 && wa.V[k] === 0, `imposed entry ${k} moved`);
  }
});

test('bp vectors: converged solves agree (same stopping, energy 1e-9, speeds 1e-3 of max)', () => {
  const geom = dome(20);
  const ts = solve(geom, 5, { vectors: 'ts', gtol: 1e-3 });
  const wa = solve(geom, 5, { vectors: 'wasm', gtol: 1e-3 });
  assert.ok(ts.r.converged && wa.r.converged, `${ts.r.reason} / ${wa.r.reason}`);
  assert.ok(relDiff(ts.r.energy, wa.r.energy) < 1e-9, `${ts.r.energy} vs ${wa.r.energy}`);
  let vmax = 0, dmax = 0;
  for (let k = 0; k < ts.U.length; k++) {
    vmax = Math.max(vmax, Math.hypot(ts.U[k], ts.V[k]));
    dmax = Math.max(dmax, Math.hypot(ts.U[k] - wa.U[k], ts.V[k] - wa.V[k]));
  }
  // both stop at residual 1e-3; their answers then differ by about that fraction of the speed
  assert.ok(dmax < 1e-3 * vmax, `max |Δu| ${dmax} vs max speed ${vmax}`);
});

test('bp vectors: the wasm backend on 2 threads (above 2^18 entries) gives bit-identical iterates; kernel memory is given back', async () => {
  // 2·Nz·N² = 2·8·128² = 262144 entries: the vector passes run on the pool.
  const geom = dome(128);
  const mem = kernelRuntime().memory;
  const before = mem.allocatedBytes;
  const one = solve(geom, 8, { nbitmax: 6, rtol: 0, gtol: 0, vectors: 'wasm' });
  assert.equal(mem.allocatedBytes, before, 'kernel memory leaked');
  await setBPThreads(2);
  try {
    const two = solve(geom, 8, { nbitmax: 6, rtol: 0, gtol: 0, vectors: 'wasm' });
    assert.deepEqual(two.energy, one.energy);
    assert.deepEqual(two.residual, one.residual);
    assert.ok(two.U.every((v, k) => Object.is(v, one.U[k])) && two.V.every((v, k) => Object.is(v, one.V[k])), 'U, V differ between 1 and 2 threads');
  } finally {
    await setBPThreads(1);
  }
  assert.equal(mem.allocatedBytes, before, 'kernel memory leaked');
});

test('bp vectors: an unknown backend is a CONFIG error naming the option', () => {
  const P = bpProblem(dome(8), defaultBPSettings({ Nz: 3 }));
  try {
    assert.throws(() => solveBP(P, new Float32Array(P.size), new Float32Array(P.size), { vectors: 'gpu' as 'ts' }), (e) => isNunatakError(e) && e.code === 'CONFIG' && /vectors 'gpu'/.test(e.message));
  } finally {
    P.dispose();
  }
});
