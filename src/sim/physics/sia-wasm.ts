/**
 * {@link siaFaceVelocities} on the AssemblyScript kernel (glacier.siaFaces +
 * glacier.centres): same signature, same scheme, same f64 arithmetic on f32
 * storage, so results agree with the TypeScript path to f32 round-off. The
 * kernel covers the common case (n = m = 3, scalar A and c, nx, ny ≥ 3);
 * other parameters run the TypeScript loop.
 */
import { expectLength } from './check.js';
import { GRAVITY, GLEN_N, PA_TO_MPA, RHO_ICE, WEERTMAN_M, xFaceCount, yFaceCount, type GridSpacing } from './constants.js';
import { siaFaceVelocities, siaGammaPerA, type SiaFaceOutputs, type SiaParams, type SiaStats } from './sia.js';
import { runRows, scratchF32, Staging } from './wasm-runtime.js';

/** Drop-in for {@link siaFaceVelocities} running on wasm (f32 storage, f64 arithmetic). */
export function siaFaceVelocitiesWasm(grid: GridSpacing, thk: Float32Array, usurf: Float32Array, p: SiaParams, out: SiaFaceOutputs): SiaStats {
  const { nx, ny, dx, dy } = grid;
  const n = p.n ?? GLEN_N;
  const m = p.m ?? WEERTMAN_M;
  if (n !== 3 || m !== 3 || typeof p.A !== 'number' || typeof p.slidingco === 'object' || nx < 3 || ny < 3) {
    return siaFaceVelocities(grid, thk, usurf, p, out);
  }
  const nc = nx * ny;
  expectLength('siaFaceVelocities', 'thk', thk, nc);
  expectLength('siaFaceVelocities', 'usurf', usurf, nc);
  expectLength('siaFaceVelocities', 'ux', out.ux, xFaceCount(grid));
  expectLength('siaFaceVelocities', 'vy', out.vy, yFaceCount(grid));
  expectLength('siaFaceVelocities', 'uxSurf', out.uxSurf, xFaceCount(grid));
  expectLength('siaFaceVelocities', 'vySurf', out.vySurf, yFaceCount(grid));
  const c = out.centre;
  if (c) for (const name of ['ubar', 'vbar', 'velbar_mag', 'uvelsurf', 'vvelsurf', 'velsurf_mag'] as const) expectLength('siaFaceVelocities', name, c[name], nc);
  const rho = p.rho ?? RHO_ICE;
  const g = p.g ?? GRAVITY;
  const cs = p.slidingco ?? 0;
  const rc = cs > 0 && Number.isFinite(cs) ? (rho * g * PA_TO_MPA) / cs : 0;
  const kd = p.A * siaGammaPerA(n, rho, g);
  const wantSurf = out.uxSurf !== undefined && out.vySurf !== undefined;
  const stats = scratchF32('sia.stats', 8 * ny); // f64 × 4 per row
  const s = new Staging();
  let ok = false;
  try {
    const pt = s.ptr(thk);
    const pu = s.ptr(usurf);
    const pux = s.ptr(out.ux, true, false);
    const pvy = s.ptr(out.vy, true, false);
    const puxS = wantSurf ? s.ptr(out.uxSurf, true, false) : 0;
    const pvyS = wantSurf ? s.ptr(out.vySurf, true, false) : 0;
    runRows('siaFaces', ny, nc, [pt, pu, pux, pvy, puxS, pvyS, stats.byteOffset, nx, ny, 1 / dx, 1 / dy, kd, rc]);
    if (c) {
      runRows('centres', ny, nc, [pt, pux, pvy, s.ptr(c.ubar, true, false), s.ptr(c.vbar, true, false), s.ptr(c.velbar_mag, true, false), nx]);
      if (wantSurf && c.uvelsurf && c.vvelsurf) {
        runRows('centres', ny, nc, [pt, puxS, pvyS, s.ptr(c.uvelsurf, true, false), s.ptr(c.vvelsurf, true, false), s.ptr(c.velsurf_mag, true, false), nx]);
      }
    }
    ok = true;
  } finally {
    s.finish(ok);
  }
  const st = new Float64Array(stats.buffer, stats.byteOffset, 4 * ny);
  let dmax = 0;
  let umax = 0;
  let trap = 0;
  for (let j = 0; j < ny; j++) {
    dmax = Math.max(dmax, st[4 * j]);
    umax = Math.max(umax, st[4 * j + 1]);
    trap += st[4 * j + 2];
  }
  return trap === 0 ? { dmax, umax } : { dmax: NaN, umax: NaN };
}
