/**
 * The SIA observation operator of the inversion and its hand-written adjoint,
 * fused: from thickness H, surface s and (optionally) the Weertman coefficient
 * c, one pass over the cell faces gives the surface velocity at cell centres
 * (what a velocity map observes) and the divergence of the ice flux
 * (what SMB − dh/dt observes); the adjoint pass maps sensitivities of those
 * outputs back onto H, s and c. float64 throughout, so the gradient can be
 * checked against central finite differences to ~1e-7.
 *
 * The discretisation is that of the forward SIA kernel (physics/sia.ts,
 * "type II" staggered scheme): face thickness ½(H_a + H_b), normal slope from
 * the two cells, cross slope from the four (two at the domain edge) cells
 * around the face, D = Γ A H^{n+2}|∇s|^{n−1} + H|u_b|/|∇s|; surface velocity
 * u_s = −(Γ' H^{n+1}|∇s|^{n−1}·(n+2)/(n+1) + (ρgH/c)^m |∇s|^{m−1}) ∂s,
 * face flux q = ū·H_face. Centre surface velocities are the mean of the two
 * faces (0 where H = 0, the domain-edge faces copying their neighbour, as in
 * the forward kernel); the divergence takes zero flux across the domain edge.
 * Units: m, m a⁻¹, A in MPa⁻ⁿ a⁻¹, c in MPa a^{1/m} m^{−1/m}.
 */
import { GLEN_N, GRAVITY, PA_TO_MPA, RHO_ICE, WEERTMAN_M } from '../physics/constants.js';
import { siaGammaPerA } from '../physics/sia.js';

/** Grid of the inversion: nx × ny cells of dx × dy metres, C order (j·nx + i). */
export interface InvGrid {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
}

/** Flow-law constants of the operator. */
export interface InvFlow {
  /** Rate factor A (MPa⁻ⁿ a⁻¹). */
  A: number;
  /** Glen exponent n (default 3). */
  n?: number;
  /** Weertman exponent m (default 3). */
  m?: number;
  /** Ice density (kg m⁻³, default 910). */
  rho?: number;
  /** Gravity (m s⁻², default 9.81). */
  g?: number;
}

/** Centre outputs of {@link siaObserve} (m a⁻¹). */
export interface SiaObs {
  /** Surface velocity, x component. */
  us: Float64Array;
  /** Surface velocity, y component. */
  vs: Float64Array;
  /** ∇·(ū H) at cell centres (m a⁻¹ = m³ m⁻² a⁻¹). */
  div: Float64Array;
}

/** Sensitivities written by {@link siaObserveAdjoint} (accumulated: callers zero them). */
export interface SiaGrad {
  H: Float64Array;
  s: Float64Array;
  /** Only when c is a field. */
  c?: Float64Array;
}

/** One interior cell face: its two cells and the stencils of the normal and tangential differences. */
export interface Face {
  a: number;
  b: number;
  /** 1/spacing along the face normal. */
  inv: number;
  /** Cross-slope stencil: +w at p1, p2; −w at m1, m2. */
  p1: number;
  p2: number;
  m1: number;
  m2: number;
  w: number;
}

/** Interior x-faces (j, i = 1..nx−1) then interior y-faces (j = 1..ny−1, i), as the forward kernel builds them. */
export function* faces(g: InvGrid): Generator<Face & { x: boolean; j: number; i: number }> {
  const { nx, ny, dx, dy } = g;
  for (let j = 0; j < ny; j++) {
    const jm = j > 0 ? j - 1 : 0;
    const jp = j < ny - 1 ? j + 1 : ny - 1;
    const w = jp > jm ? 1 / (dy * 2 * (jp - jm)) : 0;
    for (let i = 1; i < nx; i++) {
      yield { x: true, j, i, a: j * nx + i - 1, b: j * nx + i, inv: 1 / dx, p1: jp * nx + i - 1, p2: jp * nx + i, m1: jm * nx + i - 1, m2: jm * nx + i, w };
    }
  }
  for (let j = 1; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const im = i > 0 ? i - 1 : 0;
      const ip = i < nx - 1 ? i + 1 : nx - 1;
      const w = ip > im ? 1 / (dx * 2 * (ip - im)) : 0;
      yield { x: false, j, i, a: (j - 1) * nx + i, b: j * nx + i, inv: 1 / dy, p1: j * nx + ip, p2: (j - 1) * nx + ip, m1: j * nx + im, m2: (j - 1) * nx + im, w };
    }
  }
}

interface Consts {
  n: number;
  m: number;
  K: number;
  rhog: number;
  fs: number;
}

function consts(f: InvFlow): Consts {
  const n = f.n ?? GLEN_N;
  const m = f.m ?? WEERTMAN_M;
  const rho = f.rho ?? RHO_ICE;
  const g = f.g ?? GRAVITY;
  return { n, m, K: f.A * siaGammaPerA(n, rho, g), rhog: rho * g * PA_TO_MPA, fs: (n + 2) / (n + 1) };
}

/** Per-face coefficients: P = deformation, B = sliding (both × |∂s| give speeds), with their partial derivatives. */
interface FaceEval {
  hf: number;
  sn: number;
  st: number;
  P: number;
  B: number;
  cf: number;
  dPdh: number;
  dPdg2: number;
  dBdh: number;
  dBdg2: number;
  dBdc: number;
}

function evalFace(f: Face, H: Float64Array, s: Float64Array, c: number | Float64Array | null, k: Consts): FaceEval | null {
  const hf = 0.5 * (H[f.a] + H[f.b]);
  if (!(hf > 0)) return null;
  const sn = (s[f.b] - s[f.a]) * f.inv;
  const st = (s[f.p1] + s[f.p2] - s[f.m1] - s[f.m2]) * f.w;
  const g2 = sn * sn + st * st;
  const { n, m, K, rhog } = k;
  const hn = Math.pow(hf, n);
  const gp = g2 > 0 ? Math.pow(g2, (n - 1) / 2) : n === 1 ? 1 : 0;
  const P = K * hn * hf * gp;
  const dPdh = K * (n + 1) * hn * gp;
  const dPdg2 = g2 > 0 ? (K * hn * hf * ((n - 1) / 2) * gp) / g2 : n === 3 ? K * hn * hf : 0;
  let B = 0;
  let dBdh = 0;
  let dBdg2 = 0;
  let dBdc = 0;
  const cf = c === null ? 0 : typeof c === 'number' ? c : 0.5 * (c[f.a] + c[f.b]);
  if (cf > 0) {
    const rc = rhog / cf;
    const t = Math.pow(rc * hf, m);
    const gm = g2 > 0 ? Math.pow(g2, (m - 1) / 2) : m === 1 ? 1 : 0;
    B = t * gm;
    dBdh = (m * B) / hf;
    dBdg2 = g2 > 0 ? (B * ((m - 1) / 2)) / g2 : m === 3 ? t : 0;
    dBdc = (-m * B) / cf;
  }
  return { hf, sn, st, P, B, cf, dPdh, dPdg2, dBdh, dBdg2, dBdc };
}

/** Face index of an interior face in the centre-averaging arrays: x-faces (ny, nx+1), y-faces (ny+1, nx). */
const xf = (g: InvGrid, j: number, i: number) => j * (g.nx + 1) + i;
const yf = (g: InvGrid, j: number, i: number) => j * g.nx + i;

/**
 * Surface velocity and flux divergence at cell centres (see the file comment).
 * `c` is the Weertman coefficient: null (no sliding), a scalar or a field.
 */
export function siaObserve(grid: InvGrid, H: Float64Array, s: Float64Array, c: number | Float64Array | null, flow: InvFlow): SiaObs {
  const { nx, ny, dx, dy } = grid;
  const k = consts(flow);
  const usx = new Float64Array(ny * (nx + 1));
  const vsy = new Float64Array((ny + 1) * nx);
  const div = new Float64Array(nx * ny);
  for (const f of faces(grid)) {
    const e = evalFace(f, H, s, c, k);
    if (e === null) continue;
    const us = -(k.fs * e.P + e.B) * e.sn;
    const q = -(e.P + e.B) * e.sn * e.hf;
    if (f.x) {
      usx[xf(grid, f.j, f.i)] = us;
      div[f.a] += q / dx;
      div[f.b] -= q / dx;
    } else {
      vsy[yf(grid, f.j, f.i)] = us;
      div[f.a] += q / dy;
      div[f.b] -= q / dy;
    }
  }
  // domain-edge faces copy their neighbour (forward kernel's open boundary)
  for (let j = 0; j < ny; j++) {
    usx[xf(grid, j, 0)] = nx > 1 ? usx[xf(grid, j, 1)] : 0;
    usx[xf(grid, j, nx)] = nx > 1 ? usx[xf(grid, j, nx - 1)] : 0;
  }
  for (let i = 0; i < nx; i++) {
    vsy[yf(grid, 0, i)] = ny > 1 ? vsy[yf(grid, 1, i)] : 0;
    vsy[yf(grid, ny, i)] = ny > 1 ? vsy[yf(grid, ny - 1, i)] : 0;
  }
  const us = new Float64Array(nx * ny);
  const vs = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const kk = j * nx + i;
      if (!(H[kk] > 0)) continue;
      us[kk] = 0.5 * (usx[xf(grid, j, i)] + usx[xf(grid, j, i + 1)]);
      vs[kk] = 0.5 * (vsy[yf(grid, j, i)] + vsy[yf(grid, j + 1, i)]);
    }
  }
  return { us, vs, div };
}

/**
 * Adjoint of {@link siaObserve}: given ∂J/∂us, ∂J/∂vs, ∂J/∂div at the centres,
 * adds ∂J/∂H, ∂J/∂s (and ∂J/∂c when c is a field) into `out`.
 */
export function siaObserveAdjoint(
  grid: InvGrid,
  H: Float64Array,
  s: Float64Array,
  c: number | Float64Array | null,
  flow: InvFlow,
  bar: { us: Float64Array; vs: Float64Array; div: Float64Array },
  out: SiaGrad,
): void {
  const { nx, ny, dx, dy } = grid;
  const k = consts(flow);
  // centre → face weights of the surface-velocity average (edge faces fold onto their neighbour)
  const bx = new Float64Array(ny * (nx + 1));
  const by = new Float64Array((ny + 1) * nx);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const kk = j * nx + i;
      if (!(H[kk] > 0)) continue;
      const gu = 0.5 * bar.us[kk];
      const gv = 0.5 * bar.vs[kk];
      bx[xf(grid, j, i)] += gu;
      bx[xf(grid, j, i + 1)] += gu;
      by[yf(grid, j, i)] += gv;
      by[yf(grid, j + 1, i)] += gv;
    }
  }
  if (nx > 1) {
    for (let j = 0; j < ny; j++) {
      bx[xf(grid, j, 1)] += bx[xf(grid, j, 0)];
      bx[xf(grid, j, nx - 1)] += bx[xf(grid, j, nx)];
    }
  }
  if (ny > 1) {
    for (let i = 0; i < nx; i++) {
      by[yf(grid, 1, i)] += by[yf(grid, 0, i)];
      by[yf(grid, ny - 1, i)] += by[yf(grid, ny, i)];
    }
  }
  const cField = c !== null && typeof c !== 'number' ? c : null;
  for (const f of faces(grid)) {
    const e = evalFace(f, H, s, c, k);
    if (e === null) continue;
    const bUs = f.x ? bx[xf(grid, f.j, f.i)] : by[yf(grid, f.j, f.i)];
    const bQ = (bar.div[f.a] - bar.div[f.b]) / (f.x ? dx : dy);
    const { hf, sn, st, P, B } = e;
    // us = −(fs P + B) sn,  q = −(P + B) sn hf
    const bP = -bQ * sn * hf - bUs * k.fs * sn;
    const bB = -bQ * sn * hf - bUs * sn;
    let bSn = -bQ * (P + B) * hf - bUs * (k.fs * P + B);
    const bHf = -bQ * (P + B) * sn + bP * e.dPdh + bB * e.dBdh;
    const bG2 = bP * e.dPdg2 + bB * e.dBdg2;
    bSn += 2 * sn * bG2;
    const bSt = 2 * st * bG2;
    out.H[f.a] += 0.5 * bHf;
    out.H[f.b] += 0.5 * bHf;
    out.s[f.b] += bSn * f.inv;
    out.s[f.a] -= bSn * f.inv;
    const ws = bSt * f.w;
    out.s[f.p1] += ws;
    out.s[f.p2] += ws;
    out.s[f.m1] -= ws;
    out.s[f.m2] -= ws;
    if (cField !== null && out.c !== undefined && e.cf > 0) {
      const bc = 0.5 * bB * e.dBdc;
      out.c[f.a] += bc;
      out.c[f.b] += bc;
    }
  }
}
