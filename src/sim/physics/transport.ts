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
  /**
   * 'limit' (default): scale a cell's outflow to the ice it has (mass-conserving).
   * 'clip': IGM's max(H, 0) after the update; the ice this creates shows up in clippedVolume.
   */
  positivity?: 'limit' | 'clip';
}

let listA = new Int32Array(0);
let listB = new Int32Array(0);
let rowBuf = new Float64Array(0);
let sigBuf = new Float64Array(0);

function limitedSlope(a: number, b: number, lim: number): number {
  if (lim === GODUNOV) return 0;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  // superbee: max(min(|b|, 2|a|), min(|a|, 2|b|)); minmod: min(|a|, |b|)
  const s = lim === MINMOD ? Math.min(aa, ab) : Math.max(Math.min(ab, 2 * aa), Math.min(aa, 2 * ab));
  // zero unless a and b have the same sign; the sign of a otherwise
  return a * b > 0 ? (a > 0 ? s : -s) : 0;
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

/**
 * Upwind flux from the reconstructed face states (the same numbers as
 * {@link faceFlux}): left state h0 + ½(1 − c)σ0 for c > 0, right state
 * h1 − ½(1 + c)σ1 for c < 0. Written without a data-dependent branch.
 */
function upwind(h0: number, s0: number, h1: number, s1: number, c: number): number {
  const cp = c > 0 ? c : 0;
  const cm = c < 0 ? c : 0;
  return cp * (h0 + 0.5 * (1 - c) * s0) + cm * (h1 - 0.5 * (1 + c) * s1);
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

/** Clips H < 0 at cell k to 0 (returns the ice added, m) and refreshes usurf there. */
function fixCell(k: number, h: Float32Array, topg: Float32Array | null, usurf: Float32Array | null, sl: number, fl: number): number {
  const v = h[k];
  let added = 0;
  if (v < 0) {
    added = -v;
    h[k] = 0;
  }
  if (topg !== null && usurf !== null) {
    const hp = h[k];
    const g = topg[k] + hp;
    const f = sl + fl * hp;
    usurf[k] = g > f ? g : f;
  }
  return added;
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

/** Argument checks shared by {@link transportThickness} and its wasm twin: sizes, no aliasing, a usable dt. */
export function checkTransportArgs(
  grid: GridSpacing,
  thk: Float32Array,
  ux: Float32Array,
  vy: Float32Array,
  smb: Float32Array | null,
  dt: number,
  thkOut: Float32Array,
  opts: TransportOptions,
): void {
  const n = grid.nx * grid.ny;
  if (thkOut === thk || (thkOut.buffer === thk.buffer && thkOut.byteOffset === thk.byteOffset)) {
    throw new NunatakError('SHAPE', 'transportThickness: thkOut must be a different array from thk', { hint: 'keep two thickness buffers and swap them' });
  }
  for (const [name, a] of [['thk', thk], ['thkOut', thkOut], ['smb', smb], ['topg', opts.topg], ['usurf', opts.usurf]] as const) {
    expectLength('transportThickness', name, a, n);
  }
  expectLength('transportThickness', 'ux', ux, xFaceCount(grid));
  expectLength('transportThickness', 'vy', vy, yFaceCount(grid));
  if (!(dt >= 0) || !Number.isFinite(dt)) throw new NunatakError('NUMERIC', `transportThickness: dt = ${dt} a is not a finite non-negative step`);
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
  checkTransportArgs(grid, thk, ux, vy, smb, dt, thkOut, opts);
  const lim = limiterCode(opts.limiter ?? 'superbee');
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
  if (rowBuf.length < nx) {
    rowBuf = new Float64Array(nx);
    sigBuf = new Float64Array(nx);
  }
  const south = rowBuf;
  let nLim = 0;
  let nChk = 0;
  let smbSum = 0;
  let outSum = 0; // thickness·cells leaving; ×dx·dy at the end (uniform cells)

  // Pass 1, one sweep: per cell, the limited slopes of the next cell east
  // (rolling) and north (row buffer `sigN`), the east and north face fluxes
  // (the west and south ones come from the previous cell / row), the update.
  const slopes = lim === SUPERBEE || lim === MINMOD;
  const centred = lim === CENTERED;
  const haveSurf = topg !== undefined && usurf !== undefined;
  const sigN = sigBuf;
  // σ_y of row 0 (the padding below is ice-free) and the south boundary fluxes
  for (let i = 0; i < nx; i++) {
    const h0 = thk[i];
    const h1 = ny > 1 ? thk[nx + i] : 0;
    sigN[i] = slopes ? limitedSlope(h0, h1 - h0, lim) : 0;
    south[i] = upwind(0, 0, h0, sigN[i], vy[i] * cy);
    outSum -= south[i];
  }
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const lastRow = j === ny - 1;
    const rowP1 = lastRow ? -1 : row + nx;
    const rowP2 = j + 2 < ny ? row + 2 * nx : -1;
    let h0 = thk[row];
    let h1 = nx > 1 ? thk[row + 1] : 0;
    let sx0 = slopes ? limitedSlope(h0, h1 - h0, lim) : 0;
    let west = upwind(0, 0, h0, sx0, ux[j * nx1] * cx);
    outSum -= west;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const lastCol = i === nx - 1;
      const h2 = i + 2 < nx ? thk[k + 2] : 0;
      // east face (j, i+½)
      const sx1 = slopes && !lastCol ? limitedSlope(h1 - h0, h2 - h1, lim) : 0;
      const c = ux[j * nx1 + i + 1] * cx;
      const east = centred && !lastCol ? c * (0.5 * (h0 + h1)) : upwind(h0, sx0, h1, sx1, c);
      // north face (j+½, i)
      const v0 = rowP1 >= 0 ? thk[rowP1 + i] : 0;
      const v1 = rowP2 >= 0 ? thk[rowP2 + i] : 0;
      const sy0 = sigN[i];
      const sy1 = slopes && rowP1 >= 0 ? limitedSlope(v0 - h0, v1 - v0, lim) : 0;
      const cv = vy[(j + 1) * nx + i] * cy;
      const north = centred && !lastRow ? cv * (0.5 * (h0 + v0)) : upwind(h0, sy0, v0, sy1, cv);
      sigN[i] = sy1;

      const sIn = south[i];
      const s = smb === null ? 0 : smb[k];
      const a = h0 + dt * s;
      smbSum += dt * s;
      const hn = a - ((east - west) + (north - sIn));
      const out = (east > 0 ? east : 0) + (west < 0 ? -west : 0) + (north > 0 ? north : 0) + (sIn < 0 ? -sIn : 0);
      if (out > (a > 0 ? a : 0)) listA[nLim++] = k;
      if (hn < 0) listB[nChk++] = k;
      thkOut[k] = hn;
      if (haveSurf) {
        const hp = hn > 0 ? hn : 0;
        const g = topg[k] + hp;
        const f = sl + fl * hp;
        usurf[k] = g > f ? g : f;
      }
      if (lastCol) outSum += east;
      if (lastRow) outSum += north;
      south[i] = north;
      west = east;
      h0 = h1;
      h1 = h2;
      sx0 = sx1;
    }
  }

  if (opts.positivity === 'clip') nLim = 0; // IGM: no limiter, only the clip below
  const fix = transportLimitPass(grid, thk, ux, vy, smb, dt, thkOut, lim, haveSurf ? topg : null, haveSurf ? usurf : null, sl, fl, listA, nLim, listB, nChk);
  outSum -= fix.returned;
  const clipped = fix.clipped;
  const area = dx * dy;
  return { smbVolume: smbSum * area, clippedVolume: clipped * area, outflowVolume: outSum * area, limitedCells: nLim };
}

/**
 * Pass 2 of {@link transportThickness} (shared with the wasm path): scales the
 * outflow of the donor cells `limited[0..nLim)` to the ice they have (fluxes
 * recomputed from `thk`), then clips H < 0 at `negative[0..nChk)` and around
 * the donors, refreshing `usurf` there when `topg`/`usurf` are given. `lim` is
 * a {@link limiterCode}; sl, fl: sea level (m) and 1 − ρ_i/ρ_w. Returns the
 * clipped ice and the outflow handed back (both m·cells).
 */
export function transportLimitPass(
  grid: GridSpacing,
  thk: Float32Array,
  ux: Float32Array,
  vy: Float32Array,
  smb: Float32Array | null,
  dt: number,
  thkOut: Float32Array,
  lim: number,
  topg: Float32Array | null,
  usurf: Float32Array | null,
  sl: number,
  fl: number,
  limited: Int32Array,
  nLim: number,
  negative: Int32Array,
  nChk: number,
): { clipped: number; returned: number } {
  const { nx, ny, dx, dy } = grid;
  const cx = dt / dx;
  const cy = dt / dy;
  const listA = limited;
  const listB = negative;
  let returned = 0;
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
    if (fe > 0) returned += give(thkOut, k, i + 1 < nx ? k + 1 : -1, cut * fe);
    if (fw < 0) returned += give(thkOut, k, i > 0 ? k - 1 : -1, -cut * fw);
    if (fn > 0) returned += give(thkOut, k, j + 1 < ny ? k + nx : -1, cut * fn);
    if (fs < 0) returned += give(thkOut, k, j > 0 ? k - nx : -1, -cut * fs);
  }

  // Clip what melt drove below zero and refresh the surface there: cells
  // negative after pass 1, and every limited donor with its 4 neighbours.
  let clipped = 0;
  const surf = usurf;
  const bed = topg;
  for (let q = 0; q < nChk; q++) clipped += fixCell(listB[q], thkOut, bed, surf, sl, fl);
  for (let q = 0; q < nLim; q++) {
    const k = listA[q];
    const j = (k / nx) | 0;
    const i = k - j * nx;
    clipped += fixCell(k, thkOut, bed, surf, sl, fl);
    if (i > 0) clipped += fixCell(k - 1, thkOut, bed, surf, sl, fl);
    if (i + 1 < nx) clipped += fixCell(k + 1, thkOut, bed, surf, sl, fl);
    if (j > 0) clipped += fixCell(k - nx, thkOut, bed, surf, sl, fl);
    if (j + 1 < ny) clipped += fixCell(k + nx, thkOut, bed, surf, sl, fl);
  }
  return { clipped, returned };
}
