// The AssemblyScript kernels (siaFaceVelocitiesWasm, transportThicknessWasm,
// smbSimpleWasm) against the TypeScript ones as the reference, on the same
// inputs: random rough states and a Bueler dome. SIA faces use f32x4 SIMD
// arithmetic in the interior (TS: f64), the rest f64 like TS, so one step
// agrees to 2e-6 of each field's max (a few f32 ulps), stats to 1e-6, budgets
// to 1e-9 relative; along a 20-step Bueler run to 2e-5 (the states drift by
// round-off). Checked for arrays in kernel memory (no copies), plain arrays
// (staged), and 2 row-band threads.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  allocSimField,
  buelerSolution,
  isNunatakErrorLike,
  setSimThreads,
  siaFaceVelocities,
  siaFaceVelocitiesWasm,
  smbSimple,
  smbSimpleWasm,
  stableTimeStep,
  transportThickness,
  transportThicknessWasm,
  updateSurface,
  xFaceCount,
  yFaceCount,
  type GridSpacing,
  type SiaFaceOutputs,
} from './helpers.ts';

after(() => setSimThreads(1));

/** Deterministic LCG in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

interface State {
  grid: GridSpacing;
  topg: Float32Array;
  thk: Float32Array;
  usurf: Float32Array;
}

/** Random rough bed and patchy ice (some cells ice-free) on nx × ny. */
function randomState(nx: number, ny: number, seed: number, alloc: (n: number) => Float32Array = (n) => new Float32Array(n)): State {
  const r = rng(seed);
  const grid = { nx, ny, dx: 100, dy: 120 };
  const n = nx * ny;
  const topg = alloc(n);
  const thk = alloc(n);
  const usurf = alloc(n);
  for (let k = 0; k < n; k++) {
    topg[k] = 2500 + 400 * r();
    thk[k] = r() < 0.2 ? 0 : 300 * r();
  }
  updateSurface(thk, topg, usurf);
  return { grid, topg, thk, usurf };
}

function faces(grid: GridSpacing, alloc: (n: number) => Float32Array = (n) => new Float32Array(n)): Required<Pick<SiaFaceOutputs, 'ux' | 'vy' | 'uxSurf' | 'vySurf'>> & SiaFaceOutputs {
  const n = grid.nx * grid.ny;
  return {
    ux: alloc(xFaceCount(grid)), vy: alloc(yFaceCount(grid)), uxSurf: alloc(xFaceCount(grid)), vySurf: alloc(yFaceCount(grid)),
    centre: { ubar: alloc(n), vbar: alloc(n), velbar_mag: alloc(n), uvelsurf: alloc(n), vvelsurf: alloc(n), velsurf_mag: alloc(n) },
  };
}

function close(name: string, a: Float32Array, b: Float32Array, rel = 2e-6): void {
  let scale = 0;
  let d = 0;
  for (let k = 0; k < a.length; k++) {
    scale = Math.max(scale, Math.abs(a[k]));
    d = Math.max(d, Math.abs(a[k] - b[k]));
  }
  assert.ok(scale > 0, `${name} is all zero (test would be vacuous)`);
  assert.ok(d <= rel * scale, `${name}: max |Δ| ${d} > ${rel} × ${scale}`);
}

/** One SMB + SIA + transport step on both paths, compared. */
function compareStep(s: State, alloc: (n: number) => Float32Array, label: string): void {
  const { grid } = s;
  const n = grid.nx * grid.ny;
  const p = { gradabl: 0.009, gradacc: 0.005, ela: 2800, accmax: 2 };
  const smbT = new Float32Array(n);
  const smbW = alloc(n);
  smbSimple(s.usurf, p, smbT, s.thk);
  smbSimpleWasm(s.usurf, p, smbW, s.thk);
  assert.deepEqual(Array.from(smbW), Array.from(smbT), `${label}: smb differs`);
  const fT = faces(grid);
  const fW = faces(grid, alloc);
  const par = { A: 78, slidingco: 0.0464 };
  const sT = siaFaceVelocities(grid, s.thk, s.usurf, par, fT);
  const sW = siaFaceVelocitiesWasm(grid, s.thk, s.usurf, par, fW);
  assert.ok(Math.abs(sW.dmax - sT.dmax) <= 1e-6 * sT.dmax && Math.abs(sW.umax - sT.umax) <= 1e-6 * sT.umax, `${label}: stats ${JSON.stringify(sW)} vs ${JSON.stringify(sT)}`);
  for (const k of ['ux', 'vy', 'uxSurf', 'vySurf'] as const) close(`${label}: ${k}`, fT[k], fW[k]);
  for (const k of ['ubar', 'vbar', 'velbar_mag', 'uvelsurf', 'vvelsurf', 'velsurf_mag'] as const) close(`${label}: ${k}`, fT.centre![k]!, fW.centre![k]!);
  const { dt } = stableTimeStep({ dx: grid.dx, dy: grid.dy, umax: sT.umax, dmax: sT.dmax });
  // strong melt on a few cells so the positivity limiter and the clip act
  const melt = new Float32Array(n).map((_, k) => (k % 11 === 0 ? -2e4 : smbT[k]));
  for (const limiter of ['superbee', 'minmod', 'godunov', 'centered'] as const) {
    const outT = new Float32Array(n);
    const outW = alloc(n);
    const uT = s.usurf.slice();
    const uW = alloc(n);
    uW.set(s.usurf);
    const bT = transportThickness(grid, s.thk, fT.ux, fT.vy, melt, 4 * dt, outT, { limiter, topg: s.topg, usurf: uT });
    const bW = transportThicknessWasm(grid, s.thk, fT.ux, fT.vy, melt, 4 * dt, outW, { limiter, topg: s.topg, usurf: uW });
    close(`${label}/${limiter}: thk`, outT, outW);
    close(`${label}/${limiter}: usurf`, uT, uW);
    assert.ok(bT.limitedCells > 0 && bT.clippedVolume > 0, `${label}: limiter / clip not exercised`);
    assert.equal(bW.limitedCells, bT.limitedCells);
    for (const k of ['smbVolume', 'clippedVolume', 'outflowVolume'] as const) {
      assert.ok(Math.abs(bW[k] - bT[k]) <= 1e-9 * Math.abs(bT.smbVolume), `${label}/${limiter}: ${k} ${bW[k]} vs ${bT[k]}`);
    }
  }
}

test('wasm = TS on random rough states (kernel-memory and plain arrays)', () => {
  compareStep(randomState(37, 23, 1, allocSimField), allocSimField, 'kernel memory 37×23');
  compareStep(randomState(50, 41, 2), (n) => new Float32Array(n), 'plain arrays 50×41');
});

test('wasm = TS with 2 row-band threads (forced on a small grid)', async () => {
  await setSimThreads(2, 0);
  compareStep(randomState(64, 45, 3, allocSimField), allocSimField, '2 threads 64×45');
  await setSimThreads(1);
});

test('wasm = TS on a Bueler B dome (41², 20 steps)', () => {
  const sol = buelerSolution({ test: 'B' });
  const N = 41;
  const dx = 2400e3 / (N - 1);
  const grid = { nx: N, ny: N, dx, dy: dx };
  const c = (N - 1) / 2;
  let hT = new Float32Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) hT[j * N + i] = sol.thk(sol.t0, Math.hypot((i - c) * dx, (j - c) * dx));
  let hW = allocSimField(N * N).fill(0);
  hW.set(hT);
  let nT = new Float32Array(N * N);
  let nW = allocSimField(N * N);
  const fT = faces(grid);
  const fW = faces(grid, allocSimField);
  for (let it = 0; it < 20; it++) {
    const sT = siaFaceVelocities(grid, hT, hT, { A: sol.A, n: sol.n }, fT);
    const sW = siaFaceVelocitiesWasm(grid, hW, hW, { A: sol.A, n: sol.n }, fW);
    close(`it ${it}: ux`, fT.ux, fW.ux, 2e-5);
    const { dt } = stableTimeStep({ dx, dy: dx, umax: sT.umax, dmax: sT.dmax });
    assert.ok(Math.abs(sW.dmax - sT.dmax) <= 1e-5 * sT.dmax);
    transportThickness(grid, hT, fT.ux, fT.vy, null, dt, nT, { limiter: 'centered' });
    transportThicknessWasm(grid, hW, fW.ux, fW.vy, null, dt, nW, { limiter: 'centered' });
    [hT, nT] = [nT, hT];
    [hW, nW] = [nW, hW];
  }
  close('Bueler thk after 20 steps', hT, hW, 1e-5);
});

test('wasm path: NaN poisons the stats; generic parameters fall back; bad sizes name the variable', () => {
  const s = randomState(12, 9, 4);
  const f = faces(s.grid);
  s.usurf[40] = NaN;
  const st = siaFaceVelocitiesWasm(s.grid, s.thk, s.usurf, { A: 78 }, f);
  assert.ok(Number.isNaN(st.dmax) && Number.isNaN(st.umax));
  const t = randomState(12, 9, 5);
  const g = faces(t.grid);
  const h = faces(t.grid);
  // per-cell A (generic loop) through both entry points: identical
  const A = new Float32Array(12 * 9).fill(78);
  siaFaceVelocities(t.grid, t.thk, t.usurf, { A, n: 3 }, g);
  siaFaceVelocitiesWasm(t.grid, t.thk, t.usurf, { A, n: 3 }, h);
  assert.deepEqual(Array.from(h.ux), Array.from(g.ux));
  assert.throws(() => siaFaceVelocitiesWasm(t.grid, t.thk.subarray(1), t.usurf, { A: 78 }, g), (e) => isNunatakErrorLike(e, 'SHAPE', /'thk' has 107 values, expected 108/));
  assert.throws(
    () => transportThicknessWasm(t.grid, t.thk, g.ux, g.vy.subarray(2), null, 1, new Float32Array(108)),
    (e) => isNunatakErrorLike(e, 'SHAPE', /'vy' has 118 values, expected 120/),
  );
  assert.throws(() => transportThicknessWasm(t.grid, t.thk, g.ux, g.vy, null, 1, t.thk), (e) => isNunatakErrorLike(e, 'SHAPE', /different array/));
  assert.throws(() => transportThicknessWasm(t.grid, t.thk, g.ux, g.vy, null, NaN, new Float32Array(108)), (e) => isNunatakErrorLike(e, 'NUMERIC', /dt = NaN/));
});

test('wasm transport = TS bit for bit on tiny and odd grids (1×5, 5×1, 1×1, 2×3, 3×2, 7×4, 4×7), random velocities', () => {
  for (const [nx, ny] of [[1, 5], [5, 1], [1, 1], [2, 3], [3, 2], [7, 4], [4, 7]]) {
    const grid = { nx, ny, dx: 10, dy: 10 };
    const n = nx * ny;
    const r = rng(nx * 31 + ny);
    const thk = new Float32Array(n).map(() => (r() < 0.3 ? 0 : 100 * r()));
    const ux = new Float32Array(xFaceCount(grid)).map(() => 200 * (r() - 0.5));
    const vy = new Float32Array(yFaceCount(grid)).map(() => 200 * (r() - 0.5));
    const smb = new Float32Array(n).map(() => 5 * (r() - 0.7));
    for (const limiter of ['superbee', 'minmod', 'godunov', 'centered'] as const) {
      const a = new Float32Array(n);
      const b = new Float32Array(n);
      const ba = transportThickness(grid, thk, ux, vy, smb, 0.02, a, { limiter });
      const bb = transportThicknessWasm(grid, thk, ux, vy, smb, 0.02, b, { limiter });
      assert.deepEqual(Array.from(b), Array.from(a), `${nx}×${ny} ${limiter}`);
      assert.equal(bb.limitedCells, ba.limitedCells);
      assert.ok(Math.abs(bb.outflowVolume - ba.outflowVolume) <= 1e-9 * (1 + Math.abs(ba.outflowVolume)), `${nx}×${ny} ${limiter}: outflow`);
    }
  }
});
