// Thickness transport against the exact solution of linear advection
// (H(x, t) = H0(x − u t)) in 1-D, plus TVD / positivity / conservation checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centresToFaces, facesToCentres, transportThickness, isNunatakErrorLike, type Limiter } from './helpers.ts';

const nx = 200;
const grid = { nx, ny: 1, dx: 10, dy: 10 };

function advect(limiter: Limiter, h0: Float32Array, u: number, courant: number, steps: number): Float32Array {
  const ux = new Float32Array(nx + 1).fill(u);
  const vy = new Float32Array(2 * nx);
  let h = h0.slice();
  let next = new Float32Array(nx);
  const dt = (courant * grid.dx) / Math.abs(u);
  for (let s = 0; s < steps; s++) {
    transportThickness(grid, h, ux, vy, null, dt, next, { limiter });
    [h, next] = [next, h];
  }
  return h;
}

const gauss = (shift: number) => Float32Array.from({ length: nx }, (_, i) => 100 * Math.exp(-(((i - 60 - shift) / 8) ** 2)));
const box = (shift: number) => Float32Array.from({ length: nx }, (_, i) => (i >= 40 + shift && i < 70 + shift ? 100 : 0));

function l1(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k] - b[k]);
  return s / a.length;
}

test('Courant number 1: every limiter shifts the profile exactly one cell per step', () => {
  for (const lim of ['superbee', 'minmod', 'godunov'] as const) {
    const h = advect(lim, box(0), 5, 1, 20);
    assert.deepEqual(Array.from(h), Array.from(box(20)), lim);
  }
});

test('smooth profile, Courant 0.4, 100 steps (40 cells): superbee/minmod beat first-order godunov; mass kept; TVD', () => {
  const exact = gauss(40);
  const err: Record<string, number> = {};
  for (const lim of ['superbee', 'minmod', 'godunov'] as const) {
    for (const u of [5, -5]) {
      const h0 = u > 0 ? gauss(0) : gauss(80);
      const h = advect(lim, h0, u, 0.4, 100);
      // mirror-symmetric results for u and −u
      if (u > 0) err[lim] = l1(h, exact);
      else assert.ok(Math.abs(l1(h, exact) - err[lim]) < 1e-4, `${lim}: direction bias`);
      let m0 = 0;
      let m1 = 0;
      let max = 0;
      let min = Infinity;
      for (let k = 0; k < nx; k++) {
        m0 += h0[k];
        m1 += h[k];
        max = Math.max(max, h[k]);
        min = Math.min(min, h[k]);
      }
      assert.ok(Math.abs(m1 - m0) / m0 < 1e-6, `${lim}: mass ${m0} → ${m1}`);
      assert.ok(max <= 100 + 1e-3 && min >= 0, `${lim}: new extrema ${min}..${max}`);
    }
  }
  console.log(`mean |H − exact| (m): superbee ${err.superbee.toFixed(3)}, minmod ${err.minmod.toFixed(3)}, godunov ${err.godunov.toFixed(3)}`);
  assert.ok(err.superbee < err.godunov / 2 && err.minmod < err.godunov / 1.5);
  assert.ok(err.superbee < 0.5, `superbee error ${err.superbee}`);
});

test('open boundary: ice leaves, never enters, outflow accounted', () => {
  const h0 = box(150); // cells 190..199
  const ux = new Float32Array(nx + 1).fill(10);
  const vy = new Float32Array(2 * nx);
  const next = new Float32Array(nx);
  const b = transportThickness(grid, h0, ux, vy, null, 0.5, next, { limiter: 'superbee' });
  assert.ok(Math.abs(b.outflowVolume - 0.5 * 10 * 100 * grid.dy) < 1e-6, `outflow ${b.outflowVolume}`);
  ux.fill(-10); // now the flow is inward at x = nx−½ and outward at x = −½ (where H = 0)
  const b2 = transportThickness(grid, h0, ux, vy, null, 0.5, next, { limiter: 'superbee' });
  assert.equal(b2.outflowVolume, 0);
});

test('face/centre velocity helpers', () => {
  const g = { nx: 3, ny: 2, dx: 1, dy: 1 };
  const u = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const v = Float32Array.from([10, 20, 30, 40, 50, 60]);
  const ux = new Float32Array(8);
  const vy = new Float32Array(9);
  centresToFaces(g, u, v, ux, vy);
  assert.deepEqual(Array.from(ux), [1, 1.5, 2.5, 3, 4, 4.5, 5.5, 6]);
  assert.deepEqual(Array.from(vy), [10, 20, 30, 25, 35, 45, 40, 50, 60]);
  const uc = new Float32Array(6);
  const vc = new Float32Array(6);
  facesToCentres(g, ux, vy, uc, vc, Float32Array.from([1, 1, 0, 1, 1, 1]));
  assert.deepEqual(Array.from(uc), [1.25, 2, 0, 4.25, 5, 5.75]);
  assert.deepEqual(Array.from(vc), [17.5, 27.5, 0, 32.5, 42.5, 52.5]);
});

test('bad input: aliasing, wrong lengths, unknown limiter', () => {
  const h = new Float32Array(nx);
  const ux = new Float32Array(nx + 1);
  const vy = new Float32Array(2 * nx);
  assert.throws(() => transportThickness(grid, h, ux, vy, null, 1, h), (e) => isNunatakErrorLike(e, 'SHAPE', /different array/));
  assert.throws(() => transportThickness(grid, h, ux.subarray(1), vy, null, 1, new Float32Array(nx)), (e) => isNunatakErrorLike(e, 'SHAPE', /'ux' has 200 values, expected 201/));
  assert.throws(
    () => transportThickness(grid, h, ux, vy, null, 1, new Float32Array(nx), { limiter: 'superbe' as Limiter }),
    (e) => isNunatakErrorLike(e, 'CONFIG', /did you mean 'superbee'/),
  );
  assert.throws(() => transportThickness(grid, h, ux, vy, null, NaN, new Float32Array(nx)), (e) => isNunatakErrorLike(e, 'NUMERIC', /dt = NaN/));
});
