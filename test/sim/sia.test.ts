// SIA face velocities against the analytic parallel-slab solution (uniform
// thickness H on a plane surface of slope α, independent closed form):
//   ū_def = Γ Hⁿ⁺¹ αⁿ, Γ = 2A(ρg)ⁿ/(n+2);  u_s = u_b + (n+2)/(n+1) ū_def;
//   u_b = (ρgHα/c)^m;  D = H (ū_def + u_b)/α.   Tolerance 1e-5 relative (f32 storage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siaCentreVelocities, siaFaceVelocities, siaGammaPerA, stableTimeStep, isNunatakErrorLike, xFaceCount, yFaceCount } from './helpers.ts';

const nx = 12;
const ny = 9;
const dx = 50;
const grid = { nx, ny, dx, dy: dx };
const H = 400;
const alpha = 0.04;

function slab(dirX: boolean) {
  const thk = new Float32Array(nx * ny).fill(H);
  const usurf = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) usurf[j * nx + i] = 3000 - alpha * dx * (dirX ? i : j);
  return { thk, usurf };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

for (const [n, m, c] of [[3, 3, 0], [3, 3, 0.0464], [4, 2, 0.02], [1, 1, 0.5]] as const) {
  test(`slab: n = ${n}, sliding ${c ? `m = ${m}, c = ${c}` : 'off'}`, () => {
    const A = 78;
    const rhog = 910 * 9.81 * 1e-6;
    const ud = A * siaGammaPerA(n) * H ** (n + 1) * alpha ** n;
    const ub = c ? ((rhog * H * alpha) / c) ** m : 0;
    assert.ok(Math.abs(siaGammaPerA(3) * 78 - (2 * 78 * rhog ** 3) / 5) < 1e-15);
    for (const dirX of [true, false]) {
      const { thk, usurf } = slab(dirX);
      const f = { ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)), uxSurf: new Float32Array(xFaceCount(grid)), vySurf: new Float32Array(yFaceCount(grid)) };
      const st = siaFaceVelocities(grid, thk, usurf, { A, n, m, slidingco: c }, f);
      assert.ok(rel(st.umax, ud + ub) < 1e-5, `umax ${st.umax} vs ${ud + ub}`);
      assert.ok(rel(st.dmax, (H * (ud + ub)) / alpha) < 1e-5, `dmax ${st.dmax}`);
      const out = { ubar: new Float32Array(nx * ny), vbar: new Float32Array(nx * ny), uvelsurf: new Float32Array(nx * ny), vvelsurf: new Float32Array(nx * ny), velbar_mag: new Float32Array(nx * ny) };
      siaCentreVelocities(grid, f, thk, out);
      for (let k = 0; k < nx * ny; k++) {
        const [along, across, surf, surfAcross] = dirX ? [out.ubar[k], out.vbar[k], out.uvelsurf[k], out.vvelsurf[k]] : [out.vbar[k], out.ubar[k], out.vvelsurf[k], out.uvelsurf[k]];
        assert.ok(rel(along, ud + ub) < 1e-5, `ū ${along} vs ${ud + ub}`);
        assert.ok(Math.abs(across) < 1e-6 * (ud + ub));
        assert.ok(rel(surf, ub + ((n + 2) / (n + 1)) * ud) < 1e-5, `u_s ${surf}`);
        assert.ok(Math.abs(surfAcross) < 1e-6 * (ud + ub));
        assert.ok(rel(out.velbar_mag[k], ud + ub) < 1e-5);
      }
    }
  });
}

test('per-cell A and c fields equal the scalar result when uniform; ice-free faces are 0', () => {
  const { thk, usurf } = slab(true);
  const mk = () => ({ ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)) });
  const a = mk();
  const b = mk();
  siaFaceVelocities(grid, thk, usurf, { A: 78, slidingco: 0.046875 }, a); // exactly representable in f32
  siaFaceVelocities(grid, thk, usurf, { A: new Float32Array(nx * ny).fill(78), slidingco: new Float32Array(nx * ny).fill(0.046875) }, b);
  assert.deepEqual(a.ux, b.ux);
  thk.fill(0);
  const st = siaFaceVelocities(grid, thk, usurf, { A: 78 }, a);
  assert.equal(st.umax, 0);
  assert.ok(a.ux.every((x) => x === 0) && a.vy.every((x) => x === 0));
});

test('fused centre outputs equal siaCentreVelocities bit for bit (bumpy surface, partial ice)', () => {
  const n = nx * ny;
  const thk = Float32Array.from({ length: n }, (_, k) => Math.max(0, 300 * Math.sin(k * 0.37) + 100));
  const usurf = Float32Array.from({ length: n }, (_, k) => 2000 + thk[k] + 50 * Math.cos(k * 0.11));
  const mk = () => ({ ubar: new Float32Array(n), vbar: new Float32Array(n), velbar_mag: new Float32Array(n), uvelsurf: new Float32Array(n), vvelsurf: new Float32Array(n), velsurf_mag: new Float32Array(n) });
  const fused = mk();
  const sep = mk();
  const f = { ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)), uxSurf: new Float32Array(xFaceCount(grid)), vySurf: new Float32Array(yFaceCount(grid)) };
  siaFaceVelocities(grid, thk, usurf, { A: 78, slidingco: 0.05 }, { ...f, centre: fused });
  siaCentreVelocities(grid, f, thk, sep);
  assert.ok(thk.some((h) => h === 0) && fused.ubar.some((u) => u !== 0));
  for (const key of Object.keys(sep) as Array<keyof typeof sep>) assert.deepEqual(fused[key], sep[key], key);
});

test('n = m = 3 fast path equals the generic path (per-cell A forces it) to 1e-6 relative', () => {
  const n = nx * ny;
  const thk = Float32Array.from({ length: n }, (_, k) => Math.max(0, 300 * Math.sin(k * 0.37) + 100));
  const usurf = Float32Array.from({ length: n }, (_, k) => 2000 + thk[k] + 50 * Math.cos(k * 0.11));
  const mk = () => ({ ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)), uxSurf: new Float32Array(xFaceCount(grid)), vySurf: new Float32Array(yFaceCount(grid)) });
  const a = mk();
  const b = mk();
  const sa = siaFaceVelocities(grid, thk, usurf, { A: 78, slidingco: 0.046875 }, a);
  const sb = siaFaceVelocities(grid, thk, usurf, { A: new Float32Array(n).fill(78), slidingco: 0.046875 }, b);
  assert.ok(rel(sa.dmax, sb.dmax) < 1e-6 && rel(sa.umax, sb.umax) < 1e-6);
  for (const key of ['ux', 'vy', 'uxSurf', 'vySurf'] as const) {
    let scale = 0;
    for (const v of b[key]) scale = Math.max(scale, Math.abs(v));
    for (let k = 0; k < a[key].length; k++) assert.ok(Math.abs(a[key][k] - b[key][k]) <= 1e-6 * scale, `${key}[${k}]: ${a[key][k]} vs ${b[key][k]}`);
  }
});

test('a NaN surface poisons the stats, so the time step stops the run', () => {
  for (const A of [78, new Float32Array(nx * ny).fill(78)]) {
    const { thk, usurf } = slab(true);
    usurf[3 * nx + 4] = NaN;
    const st = siaFaceVelocities(grid, thk, usurf, { A }, { ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)) });
    assert.ok(Number.isNaN(st.umax) && Number.isNaN(st.dmax));
    assert.throws(() => stableTimeStep({ dx, dy: dx, umax: st.umax, dmax: st.dmax }), (e) => isNunatakErrorLike(e, 'NUMERIC', /not finite/));
  }
});

test('wrong array sizes name the variable', () => {
  const { thk, usurf } = slab(true);
  assert.throws(
    () => siaFaceVelocities(grid, thk, usurf.subarray(1), { A: 78 }, { ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)) }),
    (e) => isNunatakErrorLike(e, 'SHAPE', /'usurf' has 107 values, expected 108/),
  );
  assert.throws(
    () => siaFaceVelocities(grid, thk, usurf, { A: 78 }, { ux: new Float32Array(nx * ny), vy: new Float32Array(yFaceCount(grid)) }),
    (e) => isNunatakErrorLike(e, 'SHAPE', /'ux' has 108 values, expected 117/),
  );
});
