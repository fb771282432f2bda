// Blatter–Pattyn energy, TypeScript float64 reference: adjoint gradient vs
// central finite differences (every entry, float64, h = 1e-3 m a⁻¹, tolerance
// 1e-7·max|g|), closed forms (uniform sliding slab, simple shear), the
// U = V = 0 sanity value, the free mask, and setting validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpCorners, bpFreeMask, bpProblem, defaultBPSettings, bpLayerFractions, bpDepthWeights, bpLevels, type BPSettings, type BPGeometry } from '../../src/sim/physics/bp/index.ts';
import { bpConstants, bpEnergySumTs } from '../../src/sim/physics/bp/energy-ts.ts';
import { isNunatakError } from '../../src/core/errors.ts';
import { bpFixture, smoothVelocity } from './bp-helpers.ts';

function f64Energy(geom: BPGeometry, s: BPSettings) {
  const cor = bpCorners(geom, s);
  const K = bpConstants(s, geom.nx, geom.ny, geom.dx, bpLayerFractions(s.Nz, s.vert_spacing));
  // J = sum / n; gradients of the sum are scaled here
  return (U: Float64Array, V: Float64Array, gU?: Float64Array, gV?: Float64Array) => {
    const J = bpEnergySumTs(cor, K, U, V, gU, gV) / cor.n;
    for (const g of [gU, gV]) if (g) for (let i = 0; i < g.length; i++) g[i] /= cor.n;
    return J;
  };
}

for (const periodic of [false, true]) {
  for (const no_slip of [false, true]) {
    for (const m of [3, 1]) {
      test(`adjoint = central finite differences (float64): periodic ${periodic}, no_slip ${no_slip}, n 3, m ${m}`, () => {
        const geom = bpFixture({ periodic });
        const s = defaultBPSettings({ Nz: 5, periodic, no_slip, exp_weertman: m, regu_weertman: 1e-3 });
        const J = f64Energy(geom, s);
        const U = Float64Array.from(smoothVelocity(5, geom.ny, geom.nx, 11));
        const V = Float64Array.from(smoothVelocity(5, geom.ny, geom.nx, 12, 8));
        const gU = new Float64Array(U.length), gV = new Float64Array(U.length);
        J(U, V, gU, gV);
        let gmax = 0;
        for (let i = 0; i < U.length; i++) gmax = Math.max(gmax, Math.abs(gU[i]), Math.abs(gV[i]));
        assert.ok(gmax > 0);
        const h = 1e-3;
        let worst = 0;
        for (const [X, G] of [[U, gU], [V, gV]] as const) {
          for (let i = 0; i < X.length; i++) {
            const x0 = X[i];
            X[i] = x0 + h; const jp = J(U, V);
            X[i] = x0 - h; const jm = J(U, V);
            X[i] = x0;
            worst = Math.max(worst, Math.abs((jp - jm) / (2 * h) - G[i]));
          }
        }
        assert.ok(worst <= 1e-7 * gmax, `max |fd − adjoint| ${worst} vs max|g| ${gmax}`);
      });
    }
  }
}

function slab(nx: number, ny: number, H: number, sx: number, c: number): BPGeometry {
  const nc = nx * ny;
  const usurf = new Float32Array(nc);
  for (let k = 0; k < nc; k++) usurf[k] = 1000 + sx * 50 * (k % nx);
  return { nx, ny, dx: 50, thk: new Float32Array(nc).fill(H), usurf, arrhenius: 78, slidingco: c };
}

test('closed form: uniform U on a sloping slab = sliding + gravity only', () => {
  const sx = -0.1, H = 200, c = 0.05, u0 = 30;
  for (const m of [3, 1]) {
    const s = defaultBPSettings({ Nz: 4, exp_weertman: m, regu_weertman: 0 });
    const P = bpProblem(slab(6, 5, H, sx, c), s, { backend: 'ts' });
    const U = new Float32Array(P.size).fill(u0);
    const J = P.energy(U, new Float32Array(P.size));
    // bed parallel to the surface: N = u0² (1 + sx²); ∂U/∂z = 0 so ε̇² = 0
    const sExp = 1 + 1 / m;
    const expected = (c * Math.pow(u0 * u0 * (1 + sx * sx), sExp / 2)) / sExp + 910 * 9.81e-6 * H * u0 * sx;
    assert.ok(Math.abs(J / expected - 1) < 1e-6, `J ${J} vs ${expected}`);
  }
});

test('closed form: simple shear U = γ z on a flat slab (no_slip)', () => {
  const H = 300, gamma = 0.05, A = 78, n = 3;
  const s = defaultBPSettings({ Nz: 6, no_slip: true });
  const g = slab(5, 5, H, 0, 0.0464);
  const P = bpProblem(g, s, { backend: 'ts' });
  const z = bpLevels(6, 4);
  const U = new Float32Array(P.size);
  for (let k = 0; k < 6; k++) U.fill(gamma * H * z[k], k * 25, (k + 1) * 25);
  const J = P.energy(U, new Float32Array(P.size));
  const B = 2 * Math.pow(A, -1 / n), p = 1 + 1 / n, sr = (gamma * gamma) / 4;
  const expected = (B * H * Math.pow(sr + 1e-10, (p - 2) / 2) * sr) / p;
  // U is float32: relative 1e-5
  assert.ok(Math.abs(J / expected - 1) < 1e-5, `J ${J} vs ${expected}`);
});

test('U = V = 0: J is the sliding regularisation alone, 0 under no_slip', () => {
  const geom = bpFixture();
  const s = defaultBPSettings({ Nz: 4, regu_weertman: 2 });
  const P = bpProblem(geom, s, { backend: 'ts' });
  const z = new Float32Array(P.size);
  const c = geom.slidingco as Float32Array;
  let sum = 0;
  for (let j = 0; j < geom.ny - 1; j++) {
    for (let i = 0; i < geom.nx - 1; i++) sum += (c[j * geom.nx + i] + c[j * geom.nx + i + 1] + c[(j + 1) * geom.nx + i] + c[(j + 1) * geom.nx + i + 1]) / 4;
  }
  const sExp = 4 / 3;
  const expected = ((sum / ((geom.nx - 1) * (geom.ny - 1))) * Math.pow(4, sExp / 2)) / sExp;
  assert.ok(Math.abs(P.energy(z, z) / expected - 1) < 1e-12);
  const Q = bpProblem(geom, { ...s, no_slip: true }, { backend: 'ts' });
  assert.equal(Q.energy(z, z), 0);
});

test('free mask: 0 where thk = 0 and at the bed under no_slip; gradient 0 there; imposed entries read as 0', () => {
  const geom = bpFixture();
  const nc = geom.nx * geom.ny;
  for (const no_slip of [false, true]) {
    const s = defaultBPSettings({ Nz: 4, no_slip });
    const P = bpProblem(geom, s, { backend: 'ts' });
    assert.deepEqual(P.free, bpFreeMask(geom, s));
    const U = smoothVelocity(4, geom.ny, geom.nx, 3), V = smoothVelocity(4, geom.ny, geom.nx, 4);
    const gU = new Float32Array(P.size), gV = new Float32Array(P.size);
    const J = P.energy(U, V, gU, gV);
    const U0 = U.map((u, i) => (P.free[i] ? u : 0)), V0 = V.map((v, i) => (P.free[i] ? v : 0));
    assert.equal(P.energy(U0, V0), J);
    let nfree = 0;
    for (let i = 0; i < P.size; i++) {
      const expectFree = geom.thk[i % nc] > 0 && !(no_slip && i < nc);
      assert.equal(P.free[i], expectFree ? 1 : 0);
      if (!expectFree) assert.ok(gU[i] === 0 && gV[i] === 0);
      else nfree++;
    }
    assert.ok(nfree > 0 && nfree < P.size);
  }
});

test('vertical discretisation: levels, fractions, IGM depth weights', () => {
  const z = bpLevels(10, 4);
  assert.equal(z[0], 0);
  assert.ok(Math.abs(z[9] - 1) < 1e-15);
  assert.ok(Math.abs(z[1] - (1 / 9 / 4) * (1 + 3 / 9)) < 1e-15);
  const f = bpLayerFractions(10, 4);
  assert.ok(Math.abs(f.reduce((a, b) => a + b, 0) - 1) < 1e-14);
  for (let k = 1; k < 9; k++) assert.ok(f[k] > f[k - 1], 'layers thicken upward for α > 1');
  const w = bpDepthWeights(10, 4, 3);
  assert.equal(w.length, 10);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-14);
  assert.ok(Math.abs(w[0] - (0.1 / 4) * (1 + 0.3)) < 1e-15);
  const w2 = bpDepthWeights(2, 4, 3);
  assert.ok(Math.abs(w2[0] - 0.2) < 1e-15 && Math.abs(w2[1] - 0.8) < 1e-15, 'Nz = 2: IGM uses (n+1)/(n+2)');
});

test('settings: IGM defaults; bad or unknown settings are CONFIG errors naming the key', () => {
  const s = defaultBPSettings();
  assert.equal(s.Nz, 10);
  assert.equal(s.vert_spacing, 4);
  assert.equal(s.thr_ice_thk, 0.1);
  const bad: [Partial<BPSettings>, string][] = [
    [{ Nz: 1 }, 'Nz'], [{ Nz: 3.5 }, 'Nz'], [{ vert_spacing: 0 }, 'vert_spacing'], [{ exp_glen: -1 }, 'exp_glen'],
    [{ exp_weertman: 0 }, 'exp_weertman'], [{ regu_glen: Number.NaN }, 'regu_glen'], [{ max_sr: 0 }, 'max_sr'],
    [{ ice_density: 0 }, 'ice_density'], [{ periodic: 1 as unknown as boolean }, 'periodic'],
  ];
  for (const [over, key] of bad) {
    assert.throws(() => defaultBPSettings(over), (e: unknown) => isNunatakError(e, 'CONFIG') && e.message.includes(`'${key}'`), key);
  }
  assert.throws(() => defaultBPSettings({ nz: 5 } as unknown as Partial<BPSettings>), (e: unknown) => isNunatakError(e, 'CONFIG') && /did you mean 'Nz'/.test(e.hint ?? ''));
});

test('geometry and argument errors name the field', () => {
  const g = bpFixture();
  const s = defaultBPSettings({ Nz: 3 });
  assert.throws(() => bpProblem({ ...g, thk: new Float32Array(5) }, s, { backend: 'ts' }), (e: unknown) => isNunatakError(e, 'SHAPE') && e.message.includes("'thk'"));
  assert.throws(() => bpProblem({ ...g, arrhenius: 0 }, s, { backend: 'ts' }), (e: unknown) => isNunatakError(e, 'INPUT') && e.message.includes("'arrhenius'"));
  const c = new Float32Array(g.nx * g.ny).fill(0.1);
  c[10] = -1;
  assert.throws(() => bpProblem({ ...g, slidingco: c }, s, { backend: 'ts' }), (e: unknown) => isNunatakError(e, 'INPUT') && e.message.includes("'slidingco'") && e.message.includes('row j = 1'));
  const P = bpProblem(g, s, { backend: 'ts' });
  assert.throws(() => P.energy(new Float32Array(3), new Float32Array(P.size)), (e: unknown) => isNunatakError(e, 'SHAPE') && e.message.includes("'U'"));
  const U = new Float32Array(P.size);
  U[g.nx + 1] = Number.NaN;
  assert.throws(() => P.energy(U, new Float32Array(P.size)), (e: unknown) => isNunatakError(e, 'NUMERIC'));
});
