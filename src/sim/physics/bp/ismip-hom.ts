/**
 * ISMIP-HOM experiments A and C (Pattyn et al. 2008, The Cryosphere 2,
 * 95–108) for the Blatter–Pattyn solver: periodic square domain [0, L]²,
 * cell centres at x_i = i·dx, A = 100 MPa⁻³ a⁻¹ (1e-16 Pa⁻³ a⁻¹), n = 3.
 * The surface s = −x tan α is not periodic: the geometry holds its periodic
 * part (usurf = 0) and the uniform slope goes into `slope`.
 *  A: α = 0.5°, bed b = s − 1000 + 500 sin(ωx) sin(ωy), no slip.
 *  C: α = 0.1°, flat bed b = s − 1000, linear sliding τ_b = β² u_b with
 *     β² = 1e-3 (1 + sin(ωx) sin(ωy)) MPa a m⁻¹ (exp_weertman 1, c = β²).
 * Also the published LMLa (higher-order) means of the surface-speed maxima
 * along y = L/4 that the brief of issue #12 quotes, and periodic bilinear
 * sampling of a grid field along that line.
 */
import { NunatakError } from '../../../core/errors.js';
import { defaultBPSettings, type BPGeometry, type BPSettings } from './index.js';

export type IsmipExp = 'A' | 'C';

/** The lengths (km) of the benchmark. */
export const ISMIP_LENGTHS_KM = [5, 10, 20, 40, 80, 160] as const;

/**
 * Maxima of surface speed along y = L/4 (m a⁻¹), means of the LMLa models
 * in Pattyn et al. (2008), as quoted in issue #12 (only these four).
 */
export const ISMIP_PUBLISHED_MAX: Record<IsmipExp, Partial<Record<number, number>>> = {
  A: { 10: 24, 80: 89 },
  C: { 10: 16, 80: 63 },
};

const ARRHENIUS = 100; // MPa⁻³ a⁻¹

/** Geometry and BP settings of experiment `exp` at length L (km) on an N×N grid with Nz levels. */
export function ismipProblem(exp: IsmipExp, Lkm: number, N: number, Nz: number, over: Partial<BPSettings> = {}): { geom: BPGeometry; settings: BPSettings } {
  if (exp !== 'A' && exp !== 'C') throw new NunatakError('CONFIG', `ISMIP-HOM experiment '${String(exp)}' is not implemented`, { hint: 'use A or C' });
  if (!(Lkm > 0)) throw new NunatakError('CONFIG', `ISMIP-HOM length L must be > 0 km, got ${Lkm}`);
  if (!(Number.isInteger(N) && N >= 4)) throw new NunatakError('CONFIG', `ISMIP-HOM grid size must be an integer ≥ 4, got ${N}`);
  const L = Lkm * 1000;
  const dx = L / N;
  const w = (2 * Math.PI) / L;
  const thk = new Float32Array(N * N);
  const beta2 = new Float32Array(N * N);
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const ss = Math.sin(w * i * dx) * Math.sin(w * j * dx);
      thk[j * N + i] = exp === 'A' ? 1000 - 500 * ss : 1000;
      beta2[j * N + i] = 1e-3 * (1 + ss);
    }
  }
  const alpha = ((exp === 'A' ? 0.5 : 0.1) * Math.PI) / 180;
  const geom: BPGeometry = {
    nx: N,
    ny: N,
    dx,
    thk,
    usurf: new Float32Array(N * N),
    arrhenius: ARRHENIUS,
    slidingco: exp === 'A' ? 0 : beta2,
    slope: { x: -Math.tan(alpha), y: 0 },
  };
  const settings = defaultBPSettings({ Nz, periodic: true, no_slip: exp === 'A', exp_weertman: exp === 'A' ? 3 : 1, ...over });
  return { geom, settings };
}

/**
 * Periodic bilinear sample of a cell-centred field f (ny·nx, centres at
 * i·dx, j·dx) at x̂ = x/L, ŷ = y/L (fractions of the domain).
 */
export function samplePeriodic(f: Float32Array, nx: number, ny: number, xh: number, yh: number): number {
  const fx = xh * nx;
  const fy = yh * ny;
  const i0 = Math.floor(fx);
  const j0 = Math.floor(fy);
  const tx = fx - i0;
  const ty = fy - j0;
  const at = (j: number, i: number) => f[(((j % ny) + ny) % ny) * nx + (((i % nx) + nx) % nx)];
  return (1 - ty) * ((1 - tx) * at(j0, i0) + tx * at(j0, i0 + 1)) + ty * ((1 - tx) * at(j0 + 1, i0) + tx * at(j0 + 1, i0 + 1));
}

/** Surface velocity along y = L/4 at `points` x̂ from 0 to 1: columns x̂, vx, vy, |v| (m a⁻¹). */
export function ismipProfile(uvelsurf: Float32Array, vvelsurf: Float32Array, N: number, points = 101): { xhat: number[]; vx: number[]; vy: number[]; vel: number[] } {
  const out = { xhat: [] as number[], vx: [] as number[], vy: [] as number[], vel: [] as number[] };
  for (let p = 0; p < points; p++) {
    const xh = p / (points - 1);
    const u = samplePeriodic(uvelsurf, N, N, xh, 0.25);
    const v = samplePeriodic(vvelsurf, N, N, xh, 0.25);
    out.xhat.push(xh);
    out.vx.push(u);
    out.vy.push(v);
    out.vel.push(Math.hypot(u, v));
  }
  return out;
}
