/**
 * Ice-thickness transport (IGM's `thk` process): explicit finite-volume update
 *   H ← H + Δt (smb − ∇·(ū H))
 * with face velocities (m a⁻¹), an upwind flux with a slope-limited
 * (superbee / minmod / godunov) reconstruction, or the `centered` face
 * thickness ½(H_i + H_{i+1}) which with SIA face velocities is exactly the
 * type-II SIA diffusion update. Afterwards the flotation-aware surface is set.
 *
 * Mass: the domain is padded with two ice-free cells (ice may leave, never
 * enter). Positivity is kept without losing mass: a cell whose total outflow
 * would exceed its ice (H + Δt·smb) has all its outgoing fluxes scaled down
 * (a donor-side limiter, applied on the shared faces so both neighbours see
 * the same flux). Only surface melt can still drive H below zero; that deficit
 * is clipped and reported, so V_new − V_old = smb + clipped − outflow holds to
 * round-off (see {@link TransportBudget}).
 */
import { NunatakError, didYouMean } from '../../core/errors.js';
import { RHO_ICE, RHO_WATER, xFaceCount, yFaceCount, type GridSpacing } from './constants.js';
import { expectLength } from './check.js';

/** Face reconstruction (IGM `slope_type`, plus `centered`). */
export type Limiter = 'superbee' | 'minmod' | 'godunov' | 'centered';
export const LIMITERS: readonly Limiter[] = ['superbee', 'minmod', 'godunov', 'centered'];

const SUPERBEE = 0;
const MINMOD = 1;
const GODUNOV = 2;
const CENTERED = 3;

/** Volumes (m³) moved during one {@link transportThickness} call. */
export interface TransportBudget {
  /** ∫ Δt·smb over the domain (m³), as given. */
  smbVolume: number;
  /** Ice added by clipping H < 0 to 0 (m³, ≥ 0): melt that found no ice. */
  clippedVolume: number;
  /** Net ice leaving through the domain boundary (m³). */
  outflowVolume: number;
  /** Number of donor cells whose outflow had to be scaled down. */
  limitedCells: number;
}

/** Options of {@link transportThickness}. */
export interface TransportOptions {
  /** Reconstruction (default superbee, as IGM). */
  limiter?: Limiter;
  /** Bed elevation (m): when given, `usurf` is updated too. */
  topg?: Float32Array;
  /** Surface elevation output (m), written where `topg` is given. */
  usurf?: Float32Array;
  /** Sea level (m), IGM `default_sealevel`. */
  sealevel?: number;
  /** ρ_i/ρ_w, IGM `ratio_density` (0.910). */
  ratioDensity?: number;
}

let listA = new Int32Array(0);
let listB = new Int32Array(0);
let rowBuf = new Float64Array(0);

function limitedSlope(a: number, b: number, lim: number): number {
  if (lim === GODUNOV || a * b <= 0) return 0;
  const aa = a < 0 ? -a : a;
  const ab = b < 0 ? -b : b;
  let s: number;
  if (lim === MINMOD) s = aa < ab ? aa : ab;
  else {
    const s1 = ab < 2 * aa ? ab : 2 * aa;
    const s2 = aa < 2 * ab ? aa : 2 * ab;
    s = s1 > s2 ? s1 : s2;
  }
  return a > 0 ? s : -s;
}

/**
 * Thickness change (m) carried through one face in Δt, positive along +x / +y.
 * hm1, h0 | h1, h2: thickness at the 4 cells around the face; c = u·Δt/dx.
 * Reconstruction as IGM: H_w = H_i + ½(1 − c)σ_i, H_e = H_{i+1} − ½(1 + c)σ_{i+1}.
 */
function faceFlux(hm1: number, h0: number, h1: number, h2: number, c: number, lim: number): number {
  if (lim === CENTERED) return c * (0.5 * (h0 + h1));
  if (c > 0) return c * (h0 + 0.5 * (1 - c) * limitedSlope(h0 - hm1, h1 - h0, lim));
  if (c < 0) return c * (h1 - 0.5 * (1 + c) * limitedSlope(h1 - h0, h2 - h1, lim));
  return 0;
}

const CODES: Record<Limiter, number> = { superbee: SUPERBEE, minmod: MINMOD, godunov: GODUNOV, centered: CENTERED };

/** Integer code of a limiter name; NunatakError('CONFIG') for an unknown one. */
export function limiterCode(l: Limiter): number {
  const k = CODES[l];
  if (k === undefined) {
    throw new NunatakError('CONFIG', `processes.thk.slope_type: unknown limiter '${String(l)}'${didYouMean(String(l), LIMITERS)}`, {
      hint: `expected one of ${LIMITERS.join(', ')}`,
    });
  }
  return k;
}

/** Move `amount` (m) of outflow back from donor to receiver; returns what no longer leaves the domain. */
function give(h: Float32Array, donor: number, recv: number, amount: number): number {
  h[donor] += amount;
  if (recv >= 0) {
    h[recv] -= amount;
    return 0;
  }
  return amount;
}

/** Thickness at (j, i), zero outside the domain (the ice-free padding). */
function hAt(h: Float32Array, nx: number, ny: number, j: number, i: number): number {
  return i >= 0 && i < nx && j >= 0 && j < ny ? h[j * nx + i] : 0;
}

/** Flux through x-face (j, i) (between cells i−1 and i), recomputed for the limiter pass. */
function xFlux(h: Float32Array, ux: Float32Array, nx: number, ny: number, j: number, i: number, cdt: number, lim: number): number {
  const l = (i === 0 || i === nx) && lim === CENTERED ? GODUNOV : lim;
  return faceFlux(hAt(h, nx, ny, j, i - 2), hAt(h, nx, ny, j, i - 1), hAt(h, nx, ny, j, i), hAt(h, nx, ny, j, i + 1), ux[j * (nx + 1) + i] * cdt, l);
}

/** Flux through y-face (j, i) (between cells j−1 and j). */
function yFlux(h: Float32Array, vy: Float32Array, nx: number, ny: number, j: number, i: number, cdt: number, lim: number): number {
  const l = (j === 0 || j === ny) && lim === CENTERED ? GODUNOV : lim;
  return faceFlux(hAt(h, nx, ny, j - 2, i), hAt(h, nx, ny, j - 1, i), hAt(h, nx, ny, j, i), hAt(h, nx, ny, j + 1, i), vy[j * nx + i] * cdt, l);
}

/**
 * One explicit transport step of length `dt` (a). Reads `thk` (m), face
 * velocities `ux` (ny·(nx+1)) and `vy` ((ny+1)·nx) in m a⁻¹ (from
 * {@link siaFaceVelocities} or {@link centresToFaces}), `smb` (m ice eq. a⁻¹,
 * null = 0); writes `thkOut` (must not alias `thk`) and, with `topg`, `usurf`.
 * Stable for dt within {@link stableTimeStep}'s limits.
 */
export function transportThickness(
  grid: GridSpacing,
  thk: Float32Array,
  ux: Float32Array,
  vy: Float32Array,
  smb: Float32Array | null,
  dt: number,
  thkOut: Float32Array,
  opts: TransportOptions = {},
): TransportBudget {
  const { nx, ny, dx, dy } = grid;
  const n = nx * ny;
  if (thkOut === thk || thkOut.buffer === thk.buffer && thkOut.byteOffset === thk.byteOffset) {
    throw new NunatakError('SHAPE', 'transportThickness: thkOut must be a different array from thk', { hint: 'keep two thickness buffers and swap them' });
  }
  for (const [name, a] of [['thk', thk], ['thkOut', thkOut], ['smb', smb], ['topg', opts.topg], ['usurf', opts.usurf]] as const) {
    expectLength('transportThickness', name, a, n);
  }
  expectLength('transportThickness', 'ux', ux, xFaceCount(grid));
  expectLength('transportThickness', 'vy', vy, yFaceCount(grid));
  if (!(dt >= 0) || !Number.isFinite(dt)) throw new NunatakError('NUMERIC', `transportThickness: dt = ${dt} a is not a finite non-negative step`);
  const lim = limiterCode(opts.limiter ?? 'superbee');
  const limB = lim === CENTERED ? GODUNOV : lim;
  const topg = opts.topg;
  const usurf = opts.usurf;
  const sl = opts.sealevel ?? 0;
  const fl = 1 - (opts.ratioDensity ?? RHO_ICE / RHO_WATER);
  const cx = dt / dx;
  const cy = dt / dy;
  const nx1 = nx + 1;
  if (listA.length < n) {
    listA = new Int32Array(n);
    listB = new Int32Array(n);
  }
  if (rowBuf.length < nx) rowBuf = new Float64Array(nx);
  const south = rowBuf;
  let nLim = 0;
  let nChk = 0;
  let smbSum = 0;
  let outSum = 0; // thickness·cells leaving; ×dx·dy at the end (uniform cells)

  // fluxes through the south boundary faces (row 0)
  for (let i = 0; i < nx; i++) {
    south[i] = faceFlux(0, 0, thk[i], ny > 1 ? thk[nx + i] : 0, vy[i] * cy, limB);
    outSum -= south[i];
  }
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const hasM = j > 0;
    const hasP1 = j + 1 < ny;
    const hasP2 = j + 2 < ny;
    const lastRow = j === ny - 1;
    // west boundary face of this row
    let west = faceFlux(0, 0, thk[row], nx > 1 ? thk[row + 1] : 0, ux[j * nx1] * cx, limB);
    outSum -= west;
    let hm1 = 0;
    let h0 = thk[row];
    let h1 = nx > 1 ? thk[row + 1] : 0;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const h2 = i + 2 < nx ? thk[k + 2] : 0;
      const east = faceFlux(hm1, h0, h1, h2, ux[j * nx1 + i + 1] * cx, i === nx - 1 ? limB : lim);
      const north = faceFlux(
        hasM ? thk[k - nx] : 0,
        h0,
        hasP1 ? thk[k + nx] : 0,
        hasP2 ? thk[k + 2 * nx] : 0,
        vy[(j + 1) * nx + i] * cy,
        lastRow ? limB : lim,
      );
      const sIn = south[i];
      const s = smb === null ? 0 : smb[k];
      const a = h0 + dt * s;
      smbSum += dt * s;
      const hn = a - ((east - west) + (north - sIn));
      const out = (east > 0 ? east : 0) + (west < 0 ? -west : 0) + (north > 0 ? north : 0) + (sIn < 0 ? -sIn : 0);
      if (out > (a > 0 ? a : 0)) listA[nLim++] = k;
      if (hn < 0) listB[nChk++] = k;
      thkOut[k] = hn;
      if (topg !== undefined && usurf !== undefined) {
        const hp = hn > 0 ? hn : 0;
        const g = topg[k] + hp;
        const f = sl + fl * hp;
        usurf[k] = g > f ? g : f;
      }
      if (i === nx - 1) outSum += east;
      if (lastRow) outSum += north;
      south[i] = north;
      west = east;
      hm1 = h0;
      h0 = h1;
      h1 = h2;
    }
  }

  // Donor-side positivity limiter: scale the outgoing fluxes of each flagged
  // cell by r = avail/out and hand the difference back on both sides of the face.
  for (let q = 0; q < nLim; q++) {
    const k = listA[q];
    const j = (k / nx) | 0;
    const i = k - j * nx;
    const a = thk[k] + dt * (smb === null ? 0 : smb[k]);
    const avail = a > 0 ? a : 0;
    const fw = xFlux(thk, ux, nx, ny, j, i, cx, lim);
    const fe = xFlux(thk, ux, nx, ny, j, i + 1, cx, lim);
    const fs = yFlux(thk, vy, nx, ny, j, i, cy, lim);
    const fn = yFlux(thk, vy, nx, ny, j + 1, i, cy, lim);
    const out = (fe > 0 ? fe : 0) + (fw < 0 ? -fw : 0) + (fn > 0 ? fn : 0) + (fs < 0 ? -fs : 0);
    const cut = 1 - avail / out; // fraction of each outgoing flux removed
    if (fe > 0) outSum -= give(thkOut, k, i + 1 < nx ? k + 1 : -1, cut * fe);
    if (fw < 0) outSum -= give(thkOut, k, i > 0 ? k - 1 : -1, -cut * fw);
    if (fn > 0) outSum -= give(thkOut, k, j + 1 < ny ? k + nx : -1, cut * fn);
    if (fs < 0) outSum -= give(thkOut, k, j > 0 ? k - nx : -1, -cut * fs);
  }

  // Clip what melt drove below zero and refresh the surface there: cells
  // negative after pass 1, and every limited donor with its 4 neighbours.
  let clipped = 0;
  const fix = (k: number): void => {
    const h = thkOut[k];
    if (h < 0) {
      clipped -= h;
      thkOut[k] = 0;
    }
    if (topg !== undefined && usurf !== undefined) {
      const hp = thkOut[k];
      const g = topg[k] + hp;
      const f = sl + fl * hp;
      usurf[k] = g > f ? g : f;
    }
  };
  for (let q = 0; q < nChk; q++) fix(listB[q]);
  for (let q = 0; q < nLim; q++) {
    const k = listA[q];
    const j = (k / nx) | 0;
    const i = k - j * nx;
    fix(k);
    if (i > 0) fix(k - 1);
    if (i + 1 < nx) fix(k + 1);
    if (j > 0) fix(k - nx);
    if (j + 1 < ny) fix(k + nx);
  }
  const area = dx * dy;
  return { smbVolume: smbSum * area, clippedVolume: clipped * area, outflowVolume: outSum * area, limitedCells: nLim };
}
