// Staggered gradient / divergence: AssemblyScript kernel vs float64 TS
// reference, conservation, exact adjoint identities, custom-gradient TF.js ops
// vs central finite differences (float64 reference) and vs the same
// computation written op by op in TF.js (slices / pads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { gradient, divergence } from '../../src/kernels/stencil.js';
import { gradXRef, gradYRef, divergenceRef } from '../../src/kernels/reference/stencil.js';
import { gradXOp, gradYOp, divergenceOp } from '../../src/kernels/stencil-ops.js';
import { isNunatakError } from '../../src/core/errors.js';

// Deterministic pseudo-random numbers in [-1, 1).
function rand(n: number, seed: number): Float64Array {
  let x = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2147483648 - 1;
  });
}
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
};
const maxAbs = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

// Odd sizes exercise the SIMD tails; 1-wide grids the degenerate edges.
const grids = [
  { nx: 13, ny: 7, dx: 50, dy: -75 },
  { nx: 4, ny: 9, dx: 1, dy: 2 },
  { nx: 1, ny: 5, dx: 10, dy: 10 },
  { nx: 6, ny: 1, dx: 10, dy: 10 },
];

test('wasm kernel matches the float64 reference (rel 1e-6)', () => {
  for (const g of grids) {
    const { nx, ny, dx, dy } = g;
    const s = rand(nx * ny, 1);
    const { gx, gy } = gradient(Float32Array.from(s), g);
    const gxr = gradXRef(s, new Float64Array(ny * (nx - 1)), nx, ny, dx);
    const gyr = gradYRef(s, new Float64Array((ny - 1) * nx), nx, ny, dy);
    if (gx.length) assert.ok(maxDiff(gx, gxr) <= 1e-6 * maxAbs(gxr) + 1e-12, `gx ${nx}×${ny}`);
    if (gy.length) assert.ok(maxDiff(gy, gyr) <= 1e-6 * maxAbs(gyr) + 1e-12, `gy ${nx}×${ny}`);
    const fx = rand(ny * (nx - 1), 2);
    const fy = rand((ny - 1) * nx, 3);
    const d = divergence(Float32Array.from(fx), Float32Array.from(fy), g);
    const dr = divergenceRef(fx, fy, new Float64Array(nx * ny), nx, ny, dx, dy);
    assert.ok(maxDiff(d, dr) <= 1e-6 * maxAbs(dr) + 1e-12, `div ${nx}×${ny}`);
    // Zero flux on the edges: the divergence integrates to zero (float32 sum, 1e-5 relative).
    assert.ok(Math.abs(d.reduce((a, b) => a + b, 0)) <= 1e-5 * d.reduce((a, b) => a + Math.abs(b), 0) + 1e-12);
  }
});

test('divergence of a known linear flux field is its analytic value inside the domain', () => {
  // fx = 3·x on x-faces, fy = −2·y on y-faces → div = 3 − 2 = 1 away from the edges.
  const g = { nx: 8, ny: 6, dx: 2, dy: 0.5 };
  const fx = new Float32Array(g.ny * (g.nx - 1));
  const fy = new Float32Array((g.ny - 1) * g.nx);
  for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx - 1; i++) fx[j * (g.nx - 1) + i] = 3 * (i + 0.5) * g.dx;
  for (let j = 0; j < g.ny - 1; j++) for (let i = 0; i < g.nx; i++) fy[j * g.nx + i] = -2 * (j + 0.5) * g.dy;
  const d = divergence(fx, fy, g);
  for (let j = 1; j < g.ny - 1; j++) for (let i = 1; i < g.nx - 1; i++) assert.ok(Math.abs(d[j * g.nx + i] - 1) < 1e-5);
});

test('adjoint identities <G s, f> = −<s, D f> hold on random data', () => {
  for (const g of grids) {
    const { nx, ny, dx, dy } = g;
    const s = rand(nx * ny, 11);
    const fx = rand(ny * (nx - 1), 12);
    const fy = rand((ny - 1) * nx, 13);
    // float64 reference: exact to rounding (1e-12 relative).
    const gxr = gradXRef(s, new Float64Array(fx.length), nx, ny, dx);
    const gyr = gradYRef(s, new Float64Array(fy.length), nx, ny, dy);
    const dr = divergenceRef(fx, fy, new Float64Array(s.length), nx, ny, dx, dy);
    const lhs = dot(gxr, fx) + dot(gyr, fy);
    const rhs = -dot(s, dr);
    assert.ok(Math.abs(lhs - rhs) <= 1e-12 * (Math.abs(lhs) + 1), `f64 ${nx}×${ny}: ${lhs} vs ${rhs}`);
    // float32 wasm kernels: same identity to float32 accuracy (1e-5 relative).
    const { gx, gy } = gradient(Float32Array.from(s), g);
    const d = divergence(Float32Array.from(fx), Float32Array.from(fy), g);
    const l32 = dot(gx, fx) + dot(gy, fy);
    const r32 = -dot(Float32Array.from(s), d);
    const scale = dot(gx.map(Math.abs), fx.map(Math.abs)) + dot(gy.map(Math.abs), fy.map(Math.abs)) + 1e-30;
    assert.ok(Math.abs(l32 - r32) <= 1e-5 * scale, `f32 ${nx}×${ny}: ${l32} vs ${r32}`);
  }
});

// Op-by-op TF.js versions (slices, pads) of the same stencils.
function gradXTf(s: tf.Tensor2D, dx: number): tf.Tensor2D {
  const [ny, nx] = s.shape;
  return tf.div(tf.sub(tf.slice(s, [0, 1], [ny, nx - 1]), tf.slice(s, [0, 0], [ny, nx - 1])), dx);
}
function gradYTf(s: tf.Tensor2D, dy: number): tf.Tensor2D {
  const [ny, nx] = s.shape;
  return tf.div(tf.sub(tf.slice(s, [1, 0], [ny - 1, nx]), tf.slice(s, [0, 0], [ny - 1, nx])), dy);
}
function divTf(fx: tf.Tensor2D, fy: tf.Tensor2D, dx: number, dy: number): tf.Tensor2D {
  const px = tf.pad(fx, [[0, 0], [1, 1]]);
  const py = tf.pad(fy, [[1, 1], [0, 0]]);
  const [ny, nx1] = px.shape;
  const [ny1, nx] = py.shape;
  const ddx = tf.div(tf.sub(tf.slice(px, [0, 1], [ny, nx1 - 1]), tf.slice(px, [0, 0], [ny, nx1 - 1])), dx);
  const ddy = tf.div(tf.sub(tf.slice(py, [1, 0], [ny1 - 1, nx]), tf.slice(py, [0, 0], [ny1 - 1, nx])), dy);
  return tf.add(ddx, ddy);
}

// A nonlinear loss through both ops, like one SIA-style step:
// L(s) = Σ w · (s + dt·div(c·(s_face)²·grad s))², s_face the upwind-free face mean.
type Ops = { gx: typeof gradXOp; gy: typeof gradYOp; div: typeof divergenceOp };
function loss(ops: Ops, s: tf.Tensor2D, w: tf.Tensor2D, dx: number, dy: number): tf.Scalar {
  const [ny, nx] = s.shape;
  const mx = tf.mul(0.5, tf.add(tf.slice(s, [0, 1], [ny, nx - 1]), tf.slice(s, [0, 0], [ny, nx - 1])));
  const my = tf.mul(0.5, tf.add(tf.slice(s, [1, 0], [ny - 1, nx]), tf.slice(s, [0, 0], [ny - 1, nx])));
  const qx: tf.Tensor2D = tf.mul(tf.square(mx), ops.gx(s, dx));
  const qy: tf.Tensor2D = tf.mul(tf.square(my), ops.gy(s, dy));
  const next = tf.add(s, tf.mul(0.3, ops.div(qx, qy, dx, dy)));
  return tf.sum(tf.mul(w, tf.square(next)));
}
// The same loss in float64 on the TS reference, for finite differences.
function loss64(s: Float64Array, w: Float64Array, nx: number, ny: number, dx: number, dy: number): number {
  const gx = gradXRef(s, new Float64Array(ny * (nx - 1)), nx, ny, dx);
  const gy = gradYRef(s, new Float64Array((ny - 1) * nx), nx, ny, dy);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx - 1; i++) gx[j * (nx - 1) + i] *= (0.5 * (s[j * nx + i] + s[j * nx + i + 1])) ** 2;
  for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx; i++) gy[j * nx + i] *= (0.5 * (s[j * nx + i] + s[(j + 1) * nx + i])) ** 2;
  const d = divergenceRef(gx, gy, new Float64Array(nx * ny), nx, ny, dx, dy);
  let L = 0;
  for (let k = 0; k < s.length; k++) L += w[k] * (s[k] + 0.3 * d[k]) ** 2;
  return L;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`custom-gradient ops vs op-by-op TF.js and central finite differences (${backend})`, async () => {
    await ready(backend);
    const before = tf.memory().numTensors;
    const nx = 9;
    const ny = 6;
    const dx = 1.5;
    const dy = -2;
    const s64 = rand(nx * ny, 21).map((v) => 1 + 0.5 * v);
    const w64 = rand(nx * ny, 22);
    const s = tf.tensor2d(Float32Array.from(s64), [ny, nx]);
    const w = tf.tensor2d(Float32Array.from(w64), [ny, nx]);
    const kernelOps: Ops = { gx: gradXOp, gy: gradYOp, div: divergenceOp };
    const tfOps: Ops = { gx: gradXTf, gy: gradYTf, div: divTf };

    // Forward values agree with op-by-op TF.js to float32 rounding (rel 1e-5).
    tf.tidy(() => {
      assert.ok(maxDiff(gradXOp(s, dx).dataSync(), gradXTf(s, dx).dataSync()) < 1e-6);
      assert.ok(maxDiff(gradYOp(s, dy).dataSync(), gradYTf(s, dy).dataSync()) < 1e-6);
      const fx = gradXTf(s, dx);
      const fy = gradYTf(s, dy);
      assert.ok(maxDiff(divergenceOp(fx, fy, dx, dy).dataSync(), divTf(fx, fy, dx, dy).dataSync()) < 1e-5);
    });
    const gK = tf.grad((x: tf.Tensor) => loss(kernelOps, x as tf.Tensor2D, w, dx, dy))(s);
    const gT = tf.grad((x: tf.Tensor) => loss(tfOps, x as tf.Tensor2D, w, dx, dy))(s);
    const gk = gK.dataSync();
    const scale = maxAbs(gk);
    assert.ok(scale > 1e-3, 'gradient is not trivially zero');
    // Hand-written adjoints vs TF.js autodiff of the op-by-op version: rel 1e-5.
    assert.ok(maxDiff(gk, gT.dataSync()) <= 1e-5 * scale, `vs autodiff: ${maxDiff(gk, gT.dataSync())}`);
    // vs central finite differences of the float64 reference (h = 1e-6): rel 1e-4 (float32 op gradients).
    const h = 1e-6;
    let worst = 0;
    for (let k = 0; k < s64.length; k++) {
      const p = s64.slice();
      const m = s64.slice();
      p[k] += h;
      m[k] -= h;
      const fd = (loss64(p, w64, nx, ny, dx, dy) - loss64(m, w64, nx, ny, dx, dy)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - gk[k]));
    }
    assert.ok(worst <= 1e-4 * scale, `vs finite differences: ${worst} (scale ${scale})`);
    tf.dispose([s, w, gK, gT]);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  });
}

test('stencil inputs of the wrong size fail with SHAPE naming the input', async () => {
  await ready('wasm');
  const g = { nx: 4, ny: 3, dx: 1, dy: 1 };
  assert.throws(() => gradient(new Float32Array(11), g), (e) => isNunatakError(e, 'SHAPE') && /gradient input s: 11 values, expected 12/.test(e.message));
  assert.throws(() => divergence(new Float32Array(9), new Float32Array(7), g), (e) => isNunatakError(e, 'SHAPE') && /fy: 7 values, expected 8/.test(e.message));
  assert.throws(() => gradient(new Float32Array(12), { ...g, dx: 0 }), (e) => isNunatakError(e, 'SHAPE') && /dx=0/.test(e.message));
  const fx = tf.zeros([3, 3]) as tf.Tensor2D;
  const fy = tf.zeros([3, 4]) as tf.Tensor2D;
  assert.throws(() => divergenceOp(fx, fy, 1, 1), (e) => isNunatakError(e, 'SHAPE') && /x- and y-faces/.test(e.message));
  const v = tf.zeros([4]);
  assert.throws(() => gradXOp(v as unknown as tf.Tensor2D, 1), (e) => isNunatakError(e, 'SHAPE') && /rank 1/.test(e.message));
  tf.dispose([fx, fy, v]);
});

test('arrays already in kernel memory are used in place and nothing is left allocated', async () => {
  const { kernelRuntime } = await import('../../src/kernels/runtime.js');
  const mem = kernelRuntime().memory;
  const g = { nx: 10, ny: 8, dx: 3, dy: 4 };
  const s64 = rand(80, 31);
  const inMem = mem.fromArray(s64);
  const held = mem.allocatedBytes;
  const a = gradient(inMem, g);
  const b = gradient(Float32Array.from(s64), g);
  assert.deepEqual(a, b);
  assert.equal(mem.allocatedBytes, held, 'scratch released');
  mem.release(inMem);
});
