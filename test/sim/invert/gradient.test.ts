/**
 * The inversion's cost gradient (hand-written adjoint of the fused SIA
 * operator, chained through the softplus / log parametrisations and the
 * regularisation) against central finite differences of the cost itself,
 * with every term and all three controls on; and the operator's surface
 * velocities against the forward SIA kernel (an independent implementation
 * of the same scheme, f32 storage).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildObjective, type InversionData } from '../../../src/sim/invert/objective.js';
import { INVERSION_DEFAULTS, type InversionOptions } from '../../../src/sim/invert/options.js';
import { siaObserve } from '../../../src/sim/invert/sia-kernel.js';
import { siaFaceVelocities } from '../../../src/sim/physics/sia.js';

const r = (k: number) => Math.sin(k * 12.9898) * 0.5 + 0.5;

function problem(nx: number, ny: number): InversionData {
  const n = nx * ny;
  const usurf = new Float64Array(n);
  const mask = new Float64Array(n);
  const u = new Float64Array(n).fill(NaN);
  const v = new Float64Array(n).fill(NaN);
  const thkobs = new Float64Array(n).fill(NaN);
  const smb = new Float64Array(n);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      usurf[k] = 3000 - 15 * i - 5 * j + 20 * r(k);
      mask[k] = i > 0 && j > 0 && i < nx - 1 ? 1 : 0;
      if (mask[k] && r(k + 3) > 0.3) {
        u[k] = 20 * r(k + 5);
        v[k] = 5 * r(k + 7);
      }
      smb[k] = 2 - 0.01 * (usurf[k] - 2900);
      if (k % 5 === 0) thkobs[k] = 100 * r(k);
    }
  }
  const slidingco = Float64Array.from({ length: n }, (_, k) => 0.05 + 0.05 * r(k + 11));
  return { grid: { nx, ny, dx: 100, dy: 80 }, usurfobs: usurf, icemask: mask, uvelsurfobs: u, vvelsurfobs: v, thkobs, smb, dhdt: smb.map((q) => 0.1 * q), slidingco };
}

for (const to_regularize of ['topg', 'thk'] as const) {
  test(`cost gradient = central finite differences to 1e-6 (all controls and terms, regularising ${to_regularize})`, () => {
    const d = problem(7, 6);
    const o: InversionOptions = { ...INVERSION_DEFAULTS, control: ['thk', 'usurf', 'slidingco'], convexity_weight: 0.01, to_regularize, regu_param_thk: 10 };
    const J = buildObjective(d, o);
    const N = J.cells.length;
    // move off the start so every term is active and the thickness varies
    const x = Float64Array.from(J.x0, (q, i) => q + (i < N ? 30 * r(i) : i < 2 * N ? 3 * r(i) : 0.3 * r(i)));
    const g = new Float64Array(J.size);
    const f = J.evaluate(x, g);
    assert.ok(Number.isFinite(f) && f > 0);
    const scratch = new Float64Array(J.size);
    let worst = 0;
    for (let i = 0; i < J.size; i++) {
      const h = i < N ? 1e-3 : i < 2 * N ? 1e-4 : 1e-5;
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[i] += h;
      xm[i] -= h;
      const fd = (J.evaluate(xp, scratch) - J.evaluate(xm, scratch)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g[i]) / Math.max(Math.abs(fd), 1e-3 * f));
    }
    assert.ok(worst < 1e-6, `largest relative gradient error ${worst}`);
  });
}

test('operator surface velocity = forward SIA kernel (f32) to 1e-5 relative, with and without sliding', () => {
  const nx = 9;
  const ny = 7;
  const n = nx * ny;
  const thk = Float32Array.from({ length: n }, (_, k) => (k % nx === 0 || k % nx === nx - 1 ? 0 : 80 + 60 * r(k)));
  const usurf = Float32Array.from({ length: n }, (_, k) => 2800 - 12 * (k % nx) - 4 * Math.floor(k / nx) + 10 * r(k + 1) + thk[k]);
  const grid = { nx, ny, dx: 100, dy: 120 };
  for (const slidingco of [0, 0.05]) {
    const centre = { ubar: new Float32Array(n), vbar: new Float32Array(n), uvelsurf: new Float32Array(n), vvelsurf: new Float32Array(n) };
    siaFaceVelocities(grid, thk, usurf, { A: 78, slidingco }, {
      ux: new Float32Array(ny * (nx + 1)), vy: new Float32Array((ny + 1) * nx), uxSurf: new Float32Array(ny * (nx + 1)), vySurf: new Float32Array((ny + 1) * nx), centre,
    });
    const o = siaObserve(grid, Float64Array.from(thk), Float64Array.from(usurf), slidingco || null, { A: 78 });
    let scale = 0;
    for (let k = 0; k < n; k++) scale = Math.max(scale, Math.abs(centre.uvelsurf[k]), Math.abs(centre.vvelsurf[k]));
    assert.ok(scale > 1, `velocities too small to compare: ${scale}`);
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(o.us[k] - centre.uvelsurf[k]) <= 1e-5 * scale, `us at ${k}: ${o.us[k]} vs ${centre.uvelsurf[k]}`);
      assert.ok(Math.abs(o.vs[k] - centre.vvelsurf[k]) <= 1e-5 * scale, `vs at ${k}: ${o.vs[k]} vs ${centre.vvelsurf[k]}`);
    }
  }
});

test('flux divergence sums to zero over the domain (ice neither made nor lost by the operator)', () => {
  const d = problem(8, 7);
  const H = Float64Array.from({ length: 56 }, (_, k) => (d.icemask[k] > 0.5 ? 50 + 100 * r(k) : 0));
  const o = siaObserve(d.grid, H, Float64Array.from(d.usurfobs), null, { A: 78 });
  let sum = 0;
  let mag = 0;
  for (const q of o.div) {
    sum += q;
    mag += Math.abs(q);
  }
  assert.ok(mag > 1);
  assert.ok(Math.abs(sum) < 1e-9 * mag, `Σ div = ${sum} (Σ|div| = ${mag})`);
});
