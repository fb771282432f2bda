// The Blatter–Pattyn solver (L-BFGS on the energy) against independent references:
// - slab (uniform thickness and slope, periodic, no slip): the analytic higher-order
//   profile u(z) = 2A/(n+1) (ρg tanα)ⁿ (Hⁿ⁺¹ − (H−z)ⁿ⁺¹) to 1 % at the surface with
//   Nz = 10, vert_spacing 4, and the exact solution of the discrete 1-D problem
//   (shear stress = ρg tanα (H − z) at each layer midpoint, u integrated layer by layer,
//   times (1 + 4 tan²α)^(−(n+1)/2): in BP's horizontal/vertical frame a bed-parallel
//   profile has ∂u/∂x = u' tanα, which the analytic formula neglects; 6e-4 at 0.5°)
//   to 1e-4 of the surface speed (the solver's own convergence);
// - SIA limit: a long (L = 200 km), thin (H ≈ 500 m) periodic ice sheet with gentle
//   surface undulations vs nunatak's SIA (physics/sia.ts) surface and depth-averaged velocity (48 cells per wavelength), 3 % where the
//   speed exceeds a fifth of its maximum;
// - the energy never increases over the iterations; a solve cut short is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpDerived, bpLevels, bpProblem, defaultBPSettings } from '../../../../src/sim/physics/bp/index.ts';
import { checkConverged, solveBP } from '../../../../src/sim/physics/bp/bp-solve.ts';
import { siaCentreVelocities, siaFaceVelocities } from '../../../../src/sim/physics/index.ts';
import { xFaceCount, yFaceCount } from '../../../../src/sim/physics/constants.ts';
import { isNunatakError } from '../../../../src/core/errors.ts';

const RHOG = 910 * 9.81 * 1e-6; // MPa m⁻¹

function slab(Nz: number) {
  const H = 1000;
  const alpha = (0.5 * Math.PI) / 180;
  const A = 100;
  const n = 3;
  const nx = 4;
  const ny = 4;
  const settings = defaultBPSettings({ Nz, vert_spacing: 4, periodic: true, no_slip: true });
  const geom = { nx, ny, dx: 1000, thk: new Float32Array(nx * ny).fill(H), usurf: new Float32Array(nx * ny).fill(H), arrhenius: A, slidingco: 0, slope: { x: -Math.tan(alpha), y: 0 } };
  return { H, alpha, A, n, nx, ny, settings, geom };
}

test('slab: solved BP matches the analytic higher-order profile (1 % at the surface, Nz 10) and the discrete solution (1e-4)', () => {
  const s = slab(10);
  const p = bpProblem(s.geom, s.settings);
  const U = new Float32Array(p.size);
  const V = new Float32Array(p.size);
  const r = solveBP(p, U, V, { rtol: 1e-10, gtol: 1e-7 });
  p.dispose();
  assert.ok(r.converged, `${r.reason} after ${r.iterations}`);
  const f = RHOG * Math.tan(s.alpha);
  const us = ((2 * s.A) / (s.n + 1)) * f ** s.n * s.H ** (s.n + 1);
  const zeta = bpLevels(10, 4);
  const nc = s.nx * s.ny;
  const tilt = (1 + 4 * Math.tan(s.alpha) ** 2) ** (-(s.n + 1) / 2);
  let ud = 0; // discrete solution, layer by layer from the bed
  for (let k = 0; k < 10; k++) {
    if (k > 0) {
      const h = (zeta[k] - zeta[k - 1]) * s.H;
      const zmid = 0.5 * (zeta[k] + zeta[k - 1]) * s.H;
      ud += h * 2 * s.A * (f * (s.H - zmid)) ** s.n * tilt;
    }
    const z = zeta[k] * s.H;
    const ua = ((2 * s.A) / (s.n + 1)) * f ** s.n * (s.H ** (s.n + 1) - (s.H - z) ** (s.n + 1));
    for (let c = 0; c < nc; c++) {
      assert.ok(Math.abs(U[k * nc + c] - ud) < 1e-4 * us, `level ${k}: ${U[k * nc + c]} vs discrete ${ud}`);
      assert.ok(Math.abs(V[k * nc + c]) < 1e-4 * us, `V at level ${k}`);
      assert.ok(Math.abs(U[k * nc + c] - ua) < 0.01 * us, `level ${k}: ${U[k * nc + c]} vs analytic ${ua}`);
    }
  }
  assert.ok(Math.abs(U[9 * nc] / us - 1) < 0.01, `surface ${U[9 * nc]} vs ${us}`);
});

test('slab: the error against the analytic profile shrinks with Nz (5 → 10 → 20)', () => {
  const err = [5, 10, 20].map((Nz) => {
    const s = slab(Nz);
    const p = bpProblem(s.geom, s.settings);
    const U = new Float32Array(p.size);
    solveBP(p, U, new Float32Array(p.size), { rtol: 1e-10, gtol: 1e-7 });
    p.dispose();
    const us = ((2 * s.A) / (s.n + 1)) * (RHOG * Math.tan(s.alpha)) ** s.n * s.H ** (s.n + 1);
    return Math.abs(U[(Nz - 1) * s.nx * s.ny] / us - 1);
  });
  assert.ok(err[0] > err[1] && err[1] > err[2], `errors ${err.join(', ')}`);
  assert.ok(err[2] < 0.003, `Nz 20: ${err[2]}`);
});

test('SIA limit: thin, wide periodic ice sheet agrees with nunatak SIA to 3 % where speed is significant; energy decreases monotonically', () => {
  const nx = 48;
  const ny = 4;
  const L = 200e3;
  const dx = L / nx;
  const tanA = Math.tan((0.2 * Math.PI) / 180);
  const H0 = 500;
  const amp = 100;
  const A = 78;
  const thk = new Float32Array(nx * ny);
  const usurf = new Float32Array(nx * ny); // periodic part
  const full = new Float32Array(nx * ny); // with the slope, for SIA
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const d = amp * Math.sin((2 * Math.PI * i) / nx);
      thk[j * nx + i] = H0 + d;
      usurf[j * nx + i] = d;
      full[j * nx + i] = 3000 + d - tanA * i * dx;
    }
  }
  const settings = defaultBPSettings({ periodic: true, no_slip: true });
  const geom = { nx, ny, dx, thk, usurf, arrhenius: A, slidingco: 0, slope: { x: -tanA, y: 0 } };
  // float64 reference backend: the f32x4 wasm kernel's round-off stops the line search near residual 4e-3 here.
  const p = bpProblem(geom, settings, { backend: 'ts' });
  const U = new Float32Array(p.size);
  const V = new Float32Array(p.size);
  const r = solveBP(p, U, V, { rtol: 1e-9, gtol: 1e-5 });
  p.dispose();
  assert.ok(r.converged, `${r.reason}, residual ${r.residual}`);
  for (let k = 1; k < r.history.length; k++) assert.ok(r.history[k] <= r.history[k - 1], `energy rose at iteration ${k}`);
  const bp = bpDerived(U, V, geom, settings);
  const grid = { nx, ny, dx, dy: dx };
  const faces = { ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)), uxSurf: new Float32Array(xFaceCount(grid)), vySurf: new Float32Array(yFaceCount(grid)) };
  siaFaceVelocities(grid, thk, full, { A, n: 3 }, faces);
  const sia = { ubar: new Float32Array(nx * ny), vbar: new Float32Array(nx * ny), uvelsurf: new Float32Array(nx * ny), vvelsurf: new Float32Array(nx * ny) };
  siaCentreVelocities(grid, faces, thk, sia);
  const j = 1;
  let vmax = 0;
  for (let i = 1; i < nx - 1; i++) vmax = Math.max(vmax, sia.uvelsurf[j * nx + i]);
  let compared = 0;
  let worst = 0;
  let worstBar = 0;
  // Interior columns only: SIA's non-periodic domain edges copy the nearest face.
  for (let i = 1; i < nx - 1; i++) {
    const c = j * nx + i;
    if (sia.uvelsurf[c] < 0.2 * vmax) continue;
    compared++;
    worst = Math.max(worst, Math.abs(bp.uvelsurf[c] / sia.uvelsurf[c] - 1));
    worstBar = Math.max(worstBar, Math.abs(bp.ubar[c] / sia.ubar[c] - 1));
  }
  assert.ok(compared >= 6, `only ${compared} cells compared`);
  assert.ok(worst < 0.03, `surface speed: largest relative difference ${worst}`);
  assert.ok(worstBar < 0.03, `depth-averaged speed: largest relative difference ${worstBar}`);
});

test('a solve cut short is reported: on_fail error throws naming the settings, warn returns the message', () => {
  const s = slab(10);
  const p = bpProblem(s.geom, s.settings);
  const r = solveBP(p, new Float32Array(p.size), new Float32Array(p.size), { nbitmax: 2, rtol: 0, gtol: 1e-12 });
  p.dispose();
  assert.equal(r.converged, false);
  assert.equal(r.reason, 'maxiter');
  assert.equal(r.iterations, 2);
  assert.ok(r.residual > 1e-12);
  assert.throws(() => checkConverged(r, 'error', 'test'), (e: unknown) => isNunatakError(e, 'NUMERIC') && /2 iterations/.test(e.message) && /relative residual/.test(e.message) && /solver_nbitmax/.test(e.hint ?? ''));
  const w = checkConverged(r, 'warn', 'test');
  assert.match(w ?? '', /did not converge/);
});
