// L-BFGS on functions with known minima: the Rosenbrock valley (minimum 0 at
// (1, …, 1)), an ill-conditioned quadratic (minimum at A⁻¹b, solved here by
// hand for a diagonal A), and a p-Laplacian-like convex energy (n = 3 power,
// minimum from its closed form). Energies must never increase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lbfgs, type Objective } from '../../../../src/sim/physics/bp/lbfgs.ts';

const rosenbrock: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
};

function assertMonotone(h: number[]): void {
  for (let k = 1; k < h.length; k++) assert.ok(h[k] <= h[k - 1], `f rose at iteration ${k}: ${h[k - 1]} → ${h[k]}`);
}

test('lbfgs: Rosenbrock in 10-D reaches (1,…,1) to 1e-6, f decreasing', () => {
  const x = new Float64Array(10).fill(-1.2);
  const r = lbfgs(rosenbrock, x, { rtol: 0, gtol: 1e-10, maxIter: 500 });
  assert.equal(r.reason, 'gtol');
  assert.ok(r.converged);
  for (const v of x) assert.ok(Math.abs(v - 1) < 1e-6, `x = ${v}`);
  assert.ok(r.f < 1e-12);
  assertMonotone(r.history);
});

test('lbfgs: diagonal quadratic with condition number 1e4 reaches A⁻¹b to 1e-5', () => {
  const n = 200;
  const a = Float64Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
  const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const q: Objective = (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      f += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i];
      g[i] = a[i] * x[i] - b[i];
    }
    return f;
  };
  const x = new Float64Array(n);
  // ‖∇f‖ ≤ 1e-5 bounds |x − x*| by 1e-5 (smallest eigenvalue 1).
  const r = lbfgs(q, x, { rtol: 0, gtol: 1e-5, maxIter: 2000 });
  assert.equal(r.reason, 'gtol');
  for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i] - b[i] / a[i]) < 1e-5, `x[${i}]`);
  assertMonotone(r.history);
});

test('lbfgs: power-law energy Σ |x_i|⁴/4 − c_i x_i has minimum x = cbrt(c)', () => {
  const c = Float64Array.from({ length: 50 }, (_, i) => (i - 20) * 0.7);
  const f: Objective = (x, g) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      s += x[i] ** 4 / 4 - c[i] * x[i];
      g[i] = x[i] ** 3 - c[i];
    }
    return s;
  };
  const x = new Float64Array(50);
  const r = lbfgs(f, x, { rtol: 1e-14, patience: 2, maxIter: 1000 });
  assert.ok(r.converged, r.reason);
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(x[i] - Math.cbrt(c[i])) < 1e-5, `x[${i}] = ${x[i]} vs ${Math.cbrt(c[i])}`);
  assertMonotone(r.history);
});

test('lbfgs: too few iterations is reported as not converged, never as success', () => {
  const x = new Float64Array(10).fill(-1.2);
  const r = lbfgs(rosenbrock, x, { rtol: 1e-12, maxIter: 5 });
  assert.equal(r.reason, 'maxiter');
  assert.equal(r.converged, false);
  assert.equal(r.iterations, 5);
  assert.ok(r.gradNorm > 0);
});

test('lbfgs: the relative-change criterion stops with patience', () => {
  // Rosenbrock + 1: a minimum of 1, so relative changes are meaningful.
  const shifted: Objective = (x, g) => rosenbrock(x, g) + 1;
  const x = new Float64Array(10).fill(-1.2);
  const r = lbfgs(shifted, x, { rtol: 1e-9, patience: 2, maxIter: 500 });
  assert.equal(r.reason, 'rtol');
  assert.ok(r.relChange < 1e-9);
  assert.ok(Math.abs(r.f - 1) < 1e-6);
  assertMonotone(r.history);
});

test('lbfgs: iterates bit-identical to the implementation before the driver/backend split (pinned, commit fa9839b)', () => {
  // The inversion's settings (memory 20, first step 10, patience 5) on the 30-D
  // Rosenbrock valley; the numbers are what fa9839b's lbfgs.ts returned. f near
  // 1e-12 after 60 iterations depends on every bit of every earlier step.
  const x = new Float64Array(30).fill(-1.2);
  const r = lbfgs(rosenbrock, x, { memory: 20, firstStep: 10, patience: 5, rtol: 1e-9, maxIter: 60 });
  assert.equal(r.iterations, 60);
  assert.equal(r.evaluations, 64);
  assert.equal(r.f, 1.024160386857673e-12);
  assert.equal(r.history[30], 0.6191580754432664);
  assert.equal(x[7], 1.0000000050252105);
  assert.equal(x[29], 1.0000000481582223);
});
