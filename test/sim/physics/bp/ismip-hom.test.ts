// ISMIP-HOM (Pattyn et al. 2008) experiments A and C at L = 10 and 80 km on coarse
// periodic grids: the maximum surface speed along y = L/4 within 10 % of the published
// LMLa means (A: 24, 89 m a⁻¹; C: 16, 63 m a⁻¹). Grids: A 20×20, Nz 10; C 20×20 (L = 10)
// and 40×40 (L = 80: the speed peaks sharply where β² → 0, 20×20 gives −19 %), Nz 5
// (C is nearly plug flow). The energy never increases over the iterations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpDerived, bpProblem } from '../../../../src/sim/physics/bp/index.ts';
import { solveBP } from '../../../../src/sim/physics/bp/bp-solve.ts';
import { ISMIP_PUBLISHED_MAX, ismipProblem, ismipProfile, samplePeriodic, type IsmipExp } from '../../../../src/sim/physics/bp/ismip-hom.ts';

const cases: Array<[IsmipExp, number, number, number]> = [
  ['A', 10, 20, 10],
  ['A', 80, 20, 10],
  ['C', 10, 20, 5],
  ['C', 80, 40, 5],
];

for (const [exp, L, N, Nz] of cases) {
  test(`ISMIP-HOM ${exp}, L = ${L} km (${N}×${N}, Nz ${Nz}): max surface speed along y = L/4 within 10 % of the published LMLa mean`, () => {
    const { geom, settings } = ismipProblem(exp, L, N, Nz);
    const p = bpProblem(geom, settings);
    const U = new Float32Array(p.size);
    const V = new Float32Array(p.size);
    const r = solveBP(p, U, V, { rtol: 1e-7, nbitmax: 3000 });
    p.dispose();
    assert.ok(r.converged, `${r.reason} after ${r.iterations}, residual ${r.residual}`);
    for (let k = 1; k < r.history.length; k++) assert.ok(r.history[k] <= r.history[k - 1], `energy rose at iteration ${k}`);
    const d = bpDerived(U, V, geom, settings);
    const prof = ismipProfile(d.uvelsurf, d.vvelsurf, N);
    assert.equal(prof.xhat.length, 101);
    const vmax = Math.max(...prof.vel);
    const ref = ISMIP_PUBLISHED_MAX[exp][L] as number;
    assert.ok(Math.abs(vmax / ref - 1) < 0.1, `max ${vmax.toFixed(2)} m/a vs published ${ref}`);
    // Flow goes down the slope (+x) everywhere on the line.
    assert.ok(Math.min(...prof.vx) > 0);
  });
}

test('samplePeriodic: exact at cell centres, linear between them, wraps around', () => {
  const nx = 4;
  const ny = 4;
  const f = Float32Array.from({ length: 16 }, (_, k) => k);
  assert.equal(samplePeriodic(f, nx, ny, 0.25, 0.5), f[2 * nx + 1]);
  assert.equal(samplePeriodic(f, nx, ny, 0.125, 0.5), 0.5 * (f[2 * nx] + f[2 * nx + 1]));
  assert.equal(samplePeriodic(f, nx, ny, 1, 0.5), f[2 * nx]);
  assert.equal(samplePeriodic(f, nx, ny, 0.875, 0), 0.5 * (f[3] + f[0]));
});
