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
  /** Optional centre outputs, written fused (as {@link siaCentreVelocities} would). */
  centre?: SiaCentreFields;
}

/** Cell-centre outputs (m a⁻¹) that {@link siaFaceVelocities} can fill in the same pass. */
export interface SiaCentreFields {
  ubar: Float32Array;
  vbar: Float32Array;
  velbar_mag?: Float32Array;
  /** Need uxSurf / vySurf. */
  uvelsurf?: Float32Array;
  vvelsurf?: Float32Array;
  velsurf_mag?: Float32Array;
}

/** Maxima over all faces, for the time-step limits; both NaN when any face velocity is NaN/Inf (stableTimeStep then throws). */
export interface SiaStats {
  /** Largest face diffusivity D (m² a⁻¹), for dt ≤ dx²/(4 D). */
  dmax: number;
  /** Largest |face velocity| (m a⁻¹), for the advective CFL limit. */
  umax: number;
}

/** Deformation coefficient Γ H^{n+1} |∇s|^{n−1} (m a⁻¹ per unit slope): ū_def = −coef·∂s, D_def = coef·H. */
function defCoef(hf: number, grad2: number, a: number, gpa: number, n: number): number {
  if (n === 3) {
    const h2 = hf * hf;
    return a * gpa * (h2 * h2) * grad2;
  }
  return a * gpa * Math.pow(hf, n + 1) * Math.pow(grad2, (n - 1) / 2);
}

/** Weertman coefficient |u_b|/|∇s| with u_b = (ρgH|∇s|/c)^m, given rc = ρg/c: u_b = −coef·∂s, D_b = coef·H. */
function slideCoef(hf: number, grad2: number, rc: number, m: number): number {
  if (!(rc > 0) || !(grad2 > 0) || rc === Infinity) return 0;
  if (m === 3) {
    const t = rc * hf;
    return t * t * t * grad2;
  }
  const gm = Math.sqrt(grad2);
  return Math.pow(rc * hf * gm, m) / gm;
}

function copyRow(vy: Float32Array, vyS: Float32Array | undefined, nx: number, src: number, dst: number): void {
  vy.copyWithin(dst, src, src + nx);
  if (vyS !== undefined) vyS.copyWithin(dst, src, src + nx);
}

/** Centre outputs of row r from its faces: mean of the two faces, 0 where thk = 0. */
function centreRow(
  r: number,
  nx: number,
  nx1: number,
  thk: Float32Array,
  ux: Float32Array,
  vy: Float32Array,
  uxS: Float32Array | undefined,
  vyS: Float32Array | undefined,
  c: SiaCentreFields,
): void {
  const { ubar, vbar, velbar_mag, uvelsurf, vvelsurf, velsurf_mag } = c;
  const surf = uvelsurf !== undefined && vvelsurf !== undefined && uxS !== undefined && vyS !== undefined;
  const row = r * nx;
  const frow = r * nx1;
  for (let i = 0; i < nx; i++) {
    const k = row + i;
    if (!(thk[k] > 0)) {
      ubar[k] = 0;
      vbar[k] = 0;
      if (velbar_mag !== undefined) velbar_mag[k] = 0;
      if (surf) {
        uvelsurf[k] = 0;
        vvelsurf[k] = 0;
        if (velsurf_mag !== undefined) velsurf_mag[k] = 0;
      }
      continue;
    }
    // rounded to f32 first so velbar_mag matches speed(ubar, vbar) exactly
    const u = Math.fround(0.5 * (ux[frow + i] + ux[frow + i + 1]));
    const v = Math.fround(0.5 * (vy[k] + vy[k + nx]));
    ubar[k] = u;
    vbar[k] = v;
    if (velbar_mag !== undefined) velbar_mag[k] = Math.sqrt(u * u + v * v);
    if (surf) {
      const us = Math.fround(0.5 * (uxS[frow + i] + uxS[frow + i + 1]));
      const vs = Math.fround(0.5 * (vyS[k] + vyS[k + nx]));
      uvelsurf[k] = us;
      vvelsurf[k] = vs;
      if (velsurf_mag !== undefined) velsurf_mag[k] = Math.sqrt(us * us + vs * vs);
    }
  }
}

/**
 * The common case (n = m = 3, scalar A and c, at least 3×3 cells) with the
 * per-face work inlined: ū = −(Γ H⁴ + (ρgH/c)³)|∇s|² ∂s, D = that × H.
 * Same scheme as the generic loop (equal to round-off); `kd` = A·Γ/A, `rc` = ρg/c.
 */
function siaFastN3(grid: GridSpacing, thk: Float32Array, us: Float32Array, kd: number, rc: number, out: SiaFaceOutputs): SiaStats {
  const { nx, ny, dx, dy } = grid;
  const { ux, vy, uxSurf, vySurf, centre } = out;
  const wantSurf = uxSurf !== undefined && vySurf !== undefined;
  const nx1 = nx + 1;
  const idx = 1 / dx;
  const idy = 1 / dy;
  let dmax = 0;
  let cmax = 0; // max of coefficient × |∂s| = max |u|
  let trap = 0;
  for (let j = 0; j <= ny; j++) {
    if (j < ny) {
      const row = j * nx;
      const rowM = (j > 0 ? j - 1 : 0) * nx;
      const rowP = (j < ny - 1 ? j + 1 : ny - 1) * nx;
      const ixy = j > 0 && j < ny - 1 ? 0.25 * idy : 0.5 * idy;
      const frow = j * nx1;
      for (let i = 1; i < nx; i++) {
        const k = row + i;
        const hf = 0.5 * (thk[k - 1] + thk[k]);
        const sn = (us[k] - us[k - 1]) * idx;
        const st = (us[rowP + i - 1] + us[rowP + i] - (us[rowM + i - 1] + us[rowM + i])) * ixy;
        const g2 = sn * sn + st * st;
        const h2 = hf * hf;
        const t = rc * hf;
        const gd = kd * (h2 * h2) * g2;
        const gb = t * t * t * g2;
        const c = gd + gb;
        const u = -c * sn;
        ux[frow + i] = u;
        trap += u - u; // NaN / Inf anywhere makes trap NaN
        const d = c * hf;
        dmax = d > dmax ? d : dmax;
        const au = u < 0 ? -u : u;
        cmax = au > cmax ? au : cmax;
        if (wantSurf) uxSurf[frow + i] = -(1.25 * gd + gb) * sn;
      }
      ux[frow] = ux[frow + 1];
      ux[frow + nx] = ux[frow + nx - 1];
      if (wantSurf) {
        uxSurf[frow] = uxSurf[frow + 1];
        uxSurf[frow + nx] = uxSurf[frow + nx - 1];
      }
      if (j > 0) {
        const rowm = row - nx;
        // first and last columns: one-sided cross-gradient
        for (const i of [0, nx - 1]) {
          const k = row + i;
          const km = rowm + i;
          const ip = i < nx - 1 ? k + 1 : k;
          const im = i > 0 ? k - 1 : k;
          const hf = 0.5 * (thk[km] + thk[k]);
          const sn = (us[k] - us[km]) * idy;
          const st = (us[ip] + us[ip - nx] - (us[im] + us[im - nx])) * (0.5 * idx);
          const g2 = sn * sn + st * st;
          const t = rc * hf;
          const gd = kd * (hf * hf * (hf * hf)) * g2;
          const gb = t * t * t * g2;
          const u = -(gd + gb) * sn;
          vy[k] = u;
          trap += u - u;
          dmax = Math.max(dmax, (gd + gb) * hf);
          cmax = Math.max(cmax, Math.abs(u));
          if (wantSurf) vySurf[k] = -(1.25 * gd + gb) * sn;
        }
        const w = 0.25 * idx;
        for (let i = 1; i < nx - 1; i++) {
          const k = row + i;
          const km = rowm + i;
          const hf = 0.5 * (thk[km] + thk[k]);
          const sn = (us[k] - us[km]) * idy;
          const st = (us[k + 1] + us[km + 1] - (us[k - 1] + us[km - 1])) * w;
          const g2 = sn * sn + st * st;
          const h2 = hf * hf;
          const t = rc * hf;
          const gd = kd * (h2 * h2) * g2;
          const gb = t * t * t * g2;
          const c = gd + gb;
          const u = -c * sn;
          vy[k] = u;
          trap += u - u;
          const d = c * hf;
          dmax = d > dmax ? d : dmax;
          const au = u < 0 ? -u : u;
          cmax = au > cmax ? au : cmax;
          if (wantSurf) vySurf[k] = -(1.25 * gd + gb) * sn;
        }
      }
    }
    if (j === 1) copyRow(vy, wantSurf ? vySurf : undefined, nx, nx, 0);
    if (j === ny) copyRow(vy, wantSurf ? vySurf : undefined, nx, (ny - 1) * nx, ny * nx);
    if (j > 0 && centre) centreRow(j - 1, nx, nx1, thk, ux, vy, uxSurf, vySurf, centre);
  }
  return trap === 0 ? { dmax, umax: cmax } : { dmax: NaN, umax: NaN };
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
  if (out.centre) {
    for (const name of ['ubar', 'vbar', 'velbar_mag', 'uvelsurf', 'vvelsurf', 'velsurf_mag'] as const) expectLength('siaFaceVelocities', name, out.centre[name], nc);
  }
  const n = p.n ?? GLEN_N;
  const m = p.m ?? WEERTMAN_M;
  const rhog = (p.rho ?? RHO_ICE) * (p.g ?? GRAVITY) * PA_TO_MPA; // MPa m⁻¹
  const gpa = siaGammaPerA(n, p.rho ?? RHO_ICE, p.g ?? GRAVITY);
  const Af = typeof p.A === 'number' ? null : p.A;
  const As = typeof p.A === 'number' ? p.A : 0;
  const cf = typeof p.slidingco === 'object' ? p.slidingco : null;
  const cs = typeof p.slidingco === 'number' ? p.slidingco : 0;
  const rcs = cs > 0 ? ((p.rho ?? RHO_ICE) * (p.g ?? GRAVITY) * PA_TO_MPA) / cs : 0; // ρg/c for scalar c
  const sliding = cf !== null || cs > 0;
  const surfFactor = (n + 2) / (n + 1);
  const { ux, vy, uxSurf, vySurf, centre } = out;
  const wantSurf = uxSurf !== undefined && vySurf !== undefined;
  const nx1 = nx + 1;
  const idx = 1 / dx;
  const idy = 1 / dy;
  let dmax = 0;
  let umax = 0;
  let trap = 0;

  if (n === 3 && m === 3 && Af === null && cf === null && nx > 2 && ny > 2) {
    return siaFastN3(grid, thk, usurf, As * gpa, sliding ? rcs : 0, out);
  }
  // Rows of faces are produced in order; the centre outputs of row j−1 are
  // written as soon as the y-faces of row j exist (fused, no extra pass).
  for (let j = 0; j <= ny; j++) {
    if (j < ny) {
      const jm = j > 0 ? j - 1 : 0;
      const jp = j < ny - 1 ? j + 1 : ny - 1;
      // cross-gradient on x-faces: rows jm..jp, one-sided at the domain edge
      const ixy = jp > jm ? idy / (2 * (jp - jm)) : 0;
      const row = j * nx;
      const rowM = jm * nx;
      const rowP = jp * nx;
      // interior x-faces of row j: face i between cells i−1 and i
      let pPrev = usurf[rowP];
      let mPrev = usurf[rowM];
      for (let i = 1; i < nx; i++) {
        const k = row + i;
        const pCur = usurf[rowP + i];
        const mCur = usurf[rowM + i];
        const hf = 0.5 * (thk[k - 1] + thk[k]);
        const f = j * nx1 + i;
        const st = (pPrev + pCur - (mPrev + mCur)) * ixy;
        pPrev = pCur;
        mPrev = mCur;
        if (hf <= 0) {
          ux[f] = 0;
          if (wantSurf) uxSurf![f] = 0;
          continue;
        }
        const sn = (usurf[k] - usurf[k - 1]) * idx;
        const grad2 = sn * sn + st * st;
        const gd = defCoef(hf, grad2, Af === null ? As : 0.5 * (Af[k - 1] + Af[k]), gpa, n);
        const gb = sliding ? slideCoef(hf, grad2, cf === null ? rcs : rhog / (0.5 * (cf[k - 1] + cf[k])), m) : 0;
        const cfc = gd + gb;
        const u = -cfc * sn;
        const d = cfc * hf;
        if (d > dmax) dmax = d;
        if (u > umax) umax = u;
        else if (-u > umax) umax = -u;
        ux[f] = u;
        trap += u - u; // NaN / Inf anywhere makes trap NaN
        if (wantSurf) uxSurf![f] = -(surfFactor * gd + gb) * sn;
      }
      // boundary x-faces copy the nearest interior face
      ux[j * nx1] = nx > 1 ? ux[j * nx1 + 1] : 0;
      ux[j * nx1 + nx] = nx > 1 ? ux[j * nx1 + nx - 1] : 0;
      if (wantSurf) {
        uxSurf![j * nx1] = nx > 1 ? uxSurf![j * nx1 + 1] : 0;
        uxSurf![j * nx1 + nx] = nx > 1 ? uxSurf![j * nx1 + nx - 1] : 0;
      }
      // interior y-faces: face (j, i) between cells (j−1, i) and (j, i); the
      // cross-gradient uses the column sums s(j, i) + s(j−1, i), rolled along i
      if (j > 0) {
        const rowm = row - nx;
        let csPrev = 0;
        let csCur = usurf[row] + usurf[rowm];
        for (let i = 0; i < nx; i++) {
          const k = row + i;
          const km = k - nx;
          const csNext = i + 1 < nx ? usurf[k + 1] + usurf[km + 1] : csCur;
          // centred difference inside, one-sided at the first / last column
          const st = i === 0 ? (csNext - csCur) * (nx > 1 ? 0.5 * idx : 0) : i === nx - 1 ? (csCur - csPrev) * 0.5 * idx : (csNext - csPrev) * 0.25 * idx;
          csPrev = csCur;
          csCur = csNext;
          const hf = 0.5 * (thk[km] + thk[k]);
          const f = j * nx + i;
          if (hf <= 0) {
            vy[f] = 0;
            if (wantSurf) vySurf![f] = 0;
            continue;
          }
          const sn = (usurf[k] - usurf[km]) * idy;
          const grad2 = sn * sn + st * st;
          const gd = defCoef(hf, grad2, Af === null ? As : 0.5 * (Af[km] + Af[k]), gpa, n);
          const gb = sliding ? slideCoef(hf, grad2, cf === null ? rcs : rhog / (0.5 * (cf[km] + cf[k])), m) : 0;
          const cfc = gd + gb;
          const u = -cfc * sn;
          const d = cfc * hf;
          if (d > dmax) dmax = d;
          if (u > umax) umax = u;
          else if (-u > umax) umax = -u;
          vy[f] = u;
          trap += u - u;
          if (wantSurf) vySurf![f] = -(surfFactor * gd + gb) * sn;
        }
      }
    }
    // boundary y-faces copy the nearest interior row of faces (zero if none)
    if (j === 1 && ny > 1) copyRow(vy, vySurf, nx, nx, 0);
    if (j === ny) {
      if (ny > 1) copyRow(vy, vySurf, nx, (ny - 1) * nx, ny * nx);
      else {
        vy.fill(0, 0, 2 * nx);
        if (wantSurf) vySurf!.fill(0, 0, 2 * nx);
      }
    }
    if (j > 0 && centre) centreRow(j - 1, nx, nx1, thk, ux, vy, uxSurf, vySurf, centre);
  }
  return trap === 0 ? { dmax, umax } : { dmax: NaN, umax: NaN };
}
