// Verification of SIA + thickness transport against Bueler et al. (2005)
// exact similarity solutions B (Halfar) and C (accumulation M = 5H/t), flat bed,
// n = 3, H0 = 3600 m, R0 = 750 km, A = 100 MPa⁻³ a⁻¹ (1e-16 Pa⁻³ a⁻¹).
// Compared: volume and dome thickness with the exact solution; tolerances:
// relative volume error ≤ 1 %, dome error ≤ 2 % on the finer grid, dome and
// mean-absolute errors smaller on the finer grid, 4-fold symmetry to round-off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buelerSolution, lnGamma, runBueler, type BuelerRunOptions, type BuelerRunResult } from '../../src/sim/physics/index.ts';

test('exact solutions: t0, volume by quadrature, Γ function', () => {
  assert.ok(Math.abs(Math.exp(lnGamma(5)) - 24) < 1e-10);
  assert.ok(Math.abs(Math.exp(lnGamma(0.5)) - Math.sqrt(Math.PI)) < 1e-12);
  const B = buelerSolution({ test: 'B' });
  const C = buelerSolution({ test: 'C' });
  // Bueler et al. (2005): t0 = 422.45 a (B), 15 208 a (C)
  assert.ok(Math.abs(B.t0 - 422.45) < 0.01, `B t0 ${B.t0}`);
  assert.ok(Math.abs(C.t0 - 15208) < 1, `C t0 ${C.t0}`);
  assert.equal(C.alpha, -1);
  assert.equal(C.beta, 2);
  // closed-form volume vs midpoint quadrature of 2π∫H r dr (1e-4 relative)
  for (const [s, t] of [[B, B.t0 * 3], [C, C.t0 * 0.7]] as const) {
    const R = s.margin(t);
    const m = 200000;
    let v = 0;
    for (let k = 0; k < m; k++) {
      const r = ((k + 0.5) / m) * R;
      v += s.thk(t, r) * r;
    }
    v *= (2 * Math.PI * R) / m;
    assert.ok(Math.abs(v / s.volume(t) - 1) < 1e-4, `volume ${v} vs ${s.volume(t)}`);
  }
  // Halfar conserves volume; test C's volume grows as t^(λ+1)... check dV/dt = ∫M
  assert.ok(Math.abs(B.volume(B.t0 * 10) / B.volume(B.t0) - 1) < 1e-12);
});

function order(coarse: number, fine: number): string {
  return (Math.log(coarse / fine) / Math.log(2)).toFixed(2);
}

function check(label: string, base: Omit<BuelerRunOptions, 'cells'>, cells: [number, number]): void {
  const [c, f] = cells.map((n) => runBueler({ ...base, cells: n })) as [BuelerRunResult, BuelerRunResult];
  console.log(
    `${label}: dx ${c.dx / 1e3}→${f.dx / 1e3} km | volume err ${(c.volumeError * 100).toFixed(3)}→${(f.volumeError * 100).toFixed(3)} % | ` +
      `dome err ${(c.domeError * 100).toFixed(2)}→${(f.domeError * 100).toFixed(2)} % (order ${order(c.domeError, f.domeError)}) | ` +
      `mean |H−H_exact| ${c.meanError.toFixed(1)}→${f.meanError.toFixed(1)} m (order ${order(c.meanError, f.meanError)}) | steps ${c.steps}, ${f.steps}`,
  );
  assert.ok(f.volumeError <= 0.01, `${label}: volume error ${f.volumeError}`);
  assert.ok(f.domeError <= 0.02, `${label}: dome error ${f.domeError}`);
  assert.ok(f.domeError < c.domeError, `${label}: dome error does not shrink (${c.domeError} → ${f.domeError})`);
  assert.ok(f.meanError < c.meanError, `${label}: mean error does not shrink (${c.meanError} → ${f.meanError})`);
  // 4-fold symmetry (x-mirror, y-mirror, transpose) to round-off: ≤ 1e-3 m ≈ 4 f32 ulps at 3600 m
  for (const r of [c, f]) assert.ok(r.asymmetry <= 1e-3, `${label}: asymmetry ${r.asymmetry} m`);
  // volume budget closes: ΔV = ∫smb + clipped − outflow (f32 storage round-off)
  for (const r of [c, f]) assert.ok(r.budgetError < 1e-6, `${label}: budget error ${r.budgetError}`);
}

const B = buelerSolution({ test: 'B' });
const C = buelerSolution({ test: 'C' });

for (const limiter of ['centered', 'superbee'] as const) {
  test(`Bueler B (Halfar), t0 → t0 + 25 ka, ${limiter}, 41² and 81²`, () => {
    check(`B/${limiter}`, { test: 'B', halfWidth: 1200e3, tStart: B.t0, tEnd: B.t0 + 25000, limiter }, [41, 81]);
  });
  test(`Bueler C (M = 5H/t), t0/2 → t0, ${limiter}, 41² and 81²`, () => {
    check(`C/${limiter}`, { test: 'C', halfWidth: 900e3, tStart: C.t0 / 2, tEnd: C.t0, limiter }, [41, 81]);
  });
}
