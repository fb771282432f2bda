/**
 * Shallow-ice approximation (SIA) ice flow on a staggered grid ("type II"
 * scheme of Hindmarsh & Payne / Bueler et al. 2005): thickness and surface
 * gradient are evaluated on cell faces, the face diffusivity
 *   D = Γ H^{n+2} |∇s|^{n−1} + H |u_b| / |∇s|,   Γ = 2A(ρg)ⁿ/(n+2),
 * and the depth-averaged face velocity ū = −D ∇s / H.
 * Units: H, s in m; dx in m; A in MPa⁻ⁿ a⁻¹ (ρg is taken in MPa m⁻¹);
 * velocities in m a⁻¹; D in m² a⁻¹.
 *
 * Face layout (see constants.ts): x-face (j, i) lies between cells (j, i−1)
 * and (j, i), index j·(nx+1) + i; y-face (j, i) lies between (j−1, i) and
 * (j, i), index j·nx + i. Domain-boundary faces copy the nearest interior face
 * (IGM's open boundary); the transport kernel lets ice leave but not enter there.
 */
import { expectLength } from './check.js';
import { GRAVITY, GLEN_N, RHO_ICE, PA_TO_MPA, WEERTMAN_M, xFaceCount, yFaceCount, type GridSpacing } from './constants.js';

/** Parameters of the SIA kernel (IGM `iceflow` names in brackets). */
export interface SiaParams {
  /** Rate factor A (MPa⁻ⁿ a⁻¹) [init_arrhenius / state.arrhenius]: scalar or per-cell field. */
  A: number | Float32Array;
  /** Glen exponent n [exp_glen]; 3 takes a fast path without Math.pow. */
  n?: number;
  /** Ice density (kg m⁻³) [ice_density]. */
  rho?: number;
  /** Gravity (m s⁻²) [gravity_cst]. */
  g?: number;
  /** Weertman coefficient c (MPa a^{1/m} m^{-1/m}) [init_slidingco]: scalar or field; 0 / undefined = no sliding. */
  slidingco?: number | Float32Array;
  /** Weertman exponent m [exp_weertman]: u_b = (τ_b / c)^m, τ_b = ρgH|∇s| (MPa). */
  m?: number;
}

/** Face outputs of {@link siaFaceVelocities}. */
export interface SiaFaceOutputs {
  /** Depth-averaged velocity on x-faces (m a⁻¹), length ny·(nx+1). */
  ux: Float32Array;
  /** Depth-averaged velocity on y-faces (m a⁻¹), length (ny+1)·nx. */
  vy: Float32Array;
  /** Optional surface velocity on x-faces (m a⁻¹): u_b + (n+2)/(n+1)·ū_def. */
  uxSurf?: Float32Array;
  /** Optional surface velocity on y-faces (m a⁻¹). */
  vySurf?: Float32Array;
}

/** Maxima over all faces, for the time-step limits. */
export interface SiaStats {
  /** Largest face diffusivity D (m² a⁻¹), for dt ≤ dx²/(4 D). */
  dmax: number;
  /** Largest |face velocity| (m a⁻¹), for the advective CFL limit. */
  umax: number;
}

/** Γ = 2A(ρg)ⁿ/(n+2) with ρg in MPa m⁻¹, in m⁻ⁿ a⁻¹ per unit A (multiply by A in MPa⁻ⁿ a⁻¹). */
export function siaGammaPerA(n = GLEN_N, rho = RHO_ICE, g = GRAVITY): number {
  return (2 * Math.pow(rho * g * PA_TO_MPA, n)) / (n + 2);
}

/**
 * SIA depth-averaged (and optionally surface) velocities on all cell faces from
 * thickness `thk` (m) and surface `usurf` (m). Returns the max diffusivity and
 * the max face speed. One fused pass; f64 arithmetic, f32 storage.
 */
export function siaFaceVelocities(
  grid: GridSpacing,
  thk: Float32Array,
  usurf: Float32Array,
  p: SiaParams,
  out: SiaFaceOutputs,
): SiaStats {
  const { nx, ny, dx, dy } = grid;
  const nc = nx * ny;
  expectLength('siaFaceVelocities', 'thk', thk, nc);
  expectLength('siaFaceVelocities', 'usurf', usurf, nc);
  expectLength('siaFaceVelocities', 'arrhenius', typeof p.A === 'number' ? null : p.A, nc);
  expectLength('siaFaceVelocities', 'slidingco', typeof p.slidingco === 'object' ? p.slidingco : null, nc);
  expectLength('siaFaceVelocities', 'ux', out.ux, xFaceCount(grid));
  expectLength('siaFaceVelocities', 'vy', out.vy, yFaceCount(grid));
  expectLength('siaFaceVelocities', 'uxSurf', out.uxSurf, xFaceCount(grid));
  expectLength('siaFaceVelocities', 'vySurf', out.vySurf, yFaceCount(grid));
  const n = p.n ?? GLEN_N;
  const m = p.m ?? WEERTMAN_M;
  const rhog = (p.rho ?? RHO_ICE) * (p.g ?? GRAVITY) * PA_TO_MPA; // MPa m⁻¹
  const gpa = siaGammaPerA(n, p.rho ?? RHO_ICE, p.g ?? GRAVITY);
  const Af = typeof p.A === 'number' ? null : p.A;
  const As = typeof p.A === 'number' ? p.A : 0;
  const cf = typeof p.slidingco === 'object' ? p.slidingco : null;
  const cs = typeof p.slidingco === 'number' ? p.slidingco : 0;
  const sliding = cf !== null || cs > 0;
  const fast = n === 3 && m === 3;
  const surfFactor = (n + 2) / (n + 1);
  const { ux, vy, uxSurf, vySurf } = out;
  const wantSurf = uxSurf !== undefined && vySurf !== undefined;
  const nx1 = nx + 1;
  const idx = 1 / dx;
  const idy = 1 / dy;
  let dmax = 0;
  let umax = 0;

  // One face: H_f (m), sx = ∂s along the face normal, sy = ∂s across (m/m),
  // a = A at the face, c = sliding coefficient at the face. Writes via the
  // two return slots below to avoid allocating.
  let resU = 0;
  let resUs = 0;
  const face = (hf: number, sn: number, st: number, a: number, c: number): void => {
    const grad2 = sn * sn + st * st;
    let ud: number; // deformation part of ū along the normal
    let dd: number; // its diffusivity
    if (fast) {
      const h2 = hf * hf;
      const h4 = h2 * h2;
      const g = a * gpa * h4 * grad2;
      ud = -g * sn;
      dd = g * hf;
    } else {
      const g = a * gpa * Math.pow(hf, n + 1) * Math.pow(grad2, (n - 1) / 2);
      ud = -g * sn;
      dd = g * hf;
    }
    let ub = 0;
    if (sliding && c > 0 && grad2 > 0) {
      let k: number; // |u_b| / |∇s|
      if (fast) {
        const t = (rhog * hf) / c;
        k = t * t * t * grad2;
      } else {
        const gm = Math.sqrt(grad2);
        k = Math.pow((rhog * hf * gm) / c, m) / gm;
      }
      ub = -k * sn;
      dd += k * hf;
    }
    resU = ud + ub;
    resUs = surfFactor * ud + ub;
    if (dd > dmax) dmax = dd;
    const au = resU < 0 ? -resU : resU;
    if (au > umax) umax = au;
  };

  for (let j = 0; j < ny; j++) {
    const jm = j > 0 ? j - 1 : 0;
    const jp = j < ny - 1 ? j + 1 : ny - 1;
    // cross-gradient on x-faces: rows jm..jp, one-sided at the domain edge
    const ixy = jp > jm ? idy / (2 * (jp - jm)) : 0;
    const row = j * nx;
    const rowM = jm * nx;
    const rowP = jp * nx;
    // interior x-faces of row j: face i between cells i−1 and i
    for (let i = 1; i < nx; i++) {
      const k = row + i;
      const hf = 0.5 * (thk[k - 1] + thk[k]);
      const f = j * nx1 + i;
      if (hf <= 0) {
        ux[f] = 0;
        if (wantSurf) uxSurf![f] = 0;
        continue;
      }
      const sn = (usurf[k] - usurf[k - 1]) * idx;
      const st = (usurf[rowP + i - 1] + usurf[rowP + i] - (usurf[rowM + i - 1] + usurf[rowM + i])) * ixy;
      const a = Af === null ? As : 0.5 * (Af[k - 1] + Af[k]);
      const c = cf === null ? cs : 0.5 * (cf[k - 1] + cf[k]);
      face(hf, sn, st, a, c);
      ux[f] = resU;
      if (wantSurf) uxSurf![f] = resUs;
    }
    // boundary x-faces copy the nearest interior face
    ux[j * nx1] = nx > 1 ? ux[j * nx1 + 1] : 0;
    ux[j * nx1 + nx] = nx > 1 ? ux[j * nx1 + nx - 1] : 0;
    if (wantSurf) {
      uxSurf![j * nx1] = nx > 1 ? uxSurf![j * nx1 + 1] : 0;
      uxSurf![j * nx1 + nx] = nx > 1 ? uxSurf![j * nx1 + nx - 1] : 0;
    }
    // interior y-faces: face (j, i) between cells (j−1, i) and (j, i)
    if (j > 0) {
      for (let i = 0; i < nx; i++) {
        const k = row + i;
        const km = k - nx;
        const hf = 0.5 * (thk[km] + thk[k]);
        const f = j * nx + i;
        if (hf <= 0) {
          vy[f] = 0;
          if (wantSurf) vySurf![f] = 0;
          continue;
        }
        const im = i > 0 ? i - 1 : 0;
        const ip = i < nx - 1 ? i + 1 : nx - 1;
        const iyx = ip > im ? idx / (2 * (ip - im)) : 0;
        const sn = (usurf[k] - usurf[km]) * idy;
        const st = (usurf[row + ip] + usurf[row - nx + ip] - (usurf[row + im] + usurf[row - nx + im])) * iyx;
        const a = Af === null ? As : 0.5 * (Af[km] + Af[k]);
        const c = cf === null ? cs : 0.5 * (cf[km] + cf[k]);
        face(hf, sn, st, a, c);
        vy[f] = resU;
        if (wantSurf) vySurf![f] = resUs;
      }
    }
  }
  // boundary y-faces copy the nearest interior row of faces
  for (let i = 0; i < nx; i++) {
    vy[i] = ny > 1 ? vy[nx + i] : 0;
    vy[ny * nx + i] = ny > 1 ? vy[(ny - 1) * nx + i] : 0;
    if (wantSurf) {
      vySurf![i] = ny > 1 ? vySurf![nx + i] : 0;
      vySurf![ny * nx + i] = ny > 1 ? vySurf![(ny - 1) * nx + i] : 0;
    }
  }
  return { dmax, umax };
}
