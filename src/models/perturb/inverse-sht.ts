/**
 * Inverse real spherical-harmonic transform onto a lat/lon grid: for
 * coefficients a_lm (0 ≤ m ≤ l < L)
 *   f(θ, φ) = Σ_l [ Re a_l0 Y_l^0 + 2 Σ_{m=1}^{l} Re(a_lm Y_l^m(θ, φ)) ],
 * with Y orthonormal and Condon–Shortley phased ({@link legendreRow}) — the
 * real field torch_harmonics' `InverseRealSHT` returns (its irfft keeps the
 * real part of m = 0 and adds each m > 0 with its conjugate).
 *
 * The field is evaluated at the grid's own latitudes (poles included) and
 * longitudes: a Legendre sum per row, then an FFT over a uniform global
 * longitude circle (a direct sum for regional ones). Rows at ±lat share one
 * Legendre evaluation through P̄_l^m(−x) = (−1)^{l+m} P̄_l^m(x).
 */
import { Fft } from './fft.js';
import { legendreRow, triOffset, triSize } from './legendre.js';

/** One coefficient set: real and imaginary parts, m-major triangles of band limit L (see legendre.ts). */
export interface ShtCoefficients {
  re: Float64Array;
  im: Float64Array;
}

const DEG = Math.PI / 180;

/** Start longitude (degrees) when `lon` is a uniform, complete circle (lon0 + 360·j/nx), else undefined. */
export function globalCircleStart(lon: ArrayLike<number>): number | undefined {
  const nx = lon.length;
  if (nx < 1) return undefined;
  for (let j = 0; j < nx; j++) {
    if (Math.abs(lon[j] - (lon[0] + (360 * j) / nx)) > 1e-6) return undefined;
  }
  return lon[0];
}

/** Writes real longitude rows from their Hermitian-folded spectra, two rows per complex FFT. */
class GlobalRows {
  private readonly fft: Fft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly shiftRe: Float64Array;
  private readonly shiftIm: Float64Array;
  private pending?: Float64Array;

  constructor(readonly nx: number, L: number, lon0: number) {
    this.fft = new Fft(nx);
    this.re = new Float64Array(nx);
    this.im = new Float64Array(nx);
    this.shiftRe = new Float64Array(L);
    this.shiftIm = new Float64Array(L);
    for (let m = 0; m < L; m++) {
      this.shiftRe[m] = Math.cos(m * lon0 * DEG);
      this.shiftIm[m] = Math.sin(m * lon0 * DEG);
    }
  }

  /** Adds the folded spectrum of F (times `scale`: 1 → real part, i → imaginary part of the FFT input). */
  private fold(fr: Float64Array, fi: Float64Array, M: number, intoIm: boolean): void {
    const { nx } = this;
    const tr = intoIm ? this.im : this.re;
    const ti = intoIm ? this.re : this.im;
    const si = intoIm ? -1 : 1; // i·(a + ib) = −b + ia
    tr[0] += fr[0];
    for (let m = 1; m < M; m++) {
      const cr = fr[m] * this.shiftRe[m] - fi[m] * this.shiftIm[m];
      const ci = fr[m] * this.shiftIm[m] + fi[m] * this.shiftRe[m];
      const p = m % nx;
      const q = (nx - p) % nx;
      tr[p] += cr;
      ti[p] += si * ci;
      tr[q] += cr;
      ti[q] -= si * ci;
    }
  }

  /** Queue row `out` with spectrum F (m = 0 … M−1); rows are written when paired, or by flush(). */
  add(out: Float64Array, fr: Float64Array, fi: Float64Array, M: number): void {
    if (this.pending === undefined) {
      this.re.fill(0);
      this.im.fill(0);
      this.fold(fr, fi, M, false);
      this.pending = out;
      return;
    }
    this.fold(fr, fi, M, true);
    this.fft.transform(this.re, this.im, 1);
    this.pending.set(this.re);
    out.set(this.im);
    this.pending = undefined;
  }

  flush(): void {
    if (this.pending === undefined) return;
    this.fft.transform(this.re, this.im, 1);
    this.pending.set(this.re);
    this.pending = undefined;
  }
}

/** Direct longitude sums for a regional (or irregular) longitude axis. */
class DirectRows {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(private readonly lon: ArrayLike<number>, L: number) {
    const nx = lon.length;
    this.cos = new Float64Array(L * nx);
    this.sin = new Float64Array(L * nx);
    for (let m = 0; m < L; m++) {
      for (let j = 0; j < nx; j++) {
        this.cos[m * nx + j] = Math.cos(m * lon[j] * DEG);
        this.sin[m * nx + j] = Math.sin(m * lon[j] * DEG);
      }
    }
  }

  add(out: Float64Array, fr: Float64Array, fi: Float64Array, M: number): void {
    const nx = this.lon.length;
    out.fill(fr[0]);
    for (let m = 1; m < M; m++) {
      const a = 2 * fr[m];
      const b = 2 * fi[m];
      const o = m * nx;
      for (let j = 0; j < nx; j++) out[j] += a * this.cos[o + j] - b * this.sin[o + j];
    }
  }

  flush(): void {}
}

/** Rows grouped as (north, south) pairs at ±lat, or single rows. */
function rowJobs(lat: ArrayLike<number>): Array<[number, number]> {
  const used = new Uint8Array(lat.length);
  const jobs: Array<[number, number]> = [];
  for (let i = 0; i < lat.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    let mate = -1;
    if (lat[i] !== 0) {
      for (let j = i + 1; j < lat.length; j++) {
        if (!used[j] && Math.abs(lat[i] + lat[j]) < 1e-9) {
          mate = j;
          break;
        }
      }
    }
    if (mate >= 0) used[mate] = 1;
    // the row with lat > 0 first: the Legendre row is evaluated there
    jobs.push(mate >= 0 && lat[mate] > lat[i] ? [mate, i] : [i, mate]);
  }
  return jobs;
}

/**
 * Inverse real SHT of each coefficient set onto the grid (lat, lon in
 * degrees; rows = lat). Returns one [lat.length · lon.length] array per set.
 */
export function inverseRealSht(sets: ShtCoefficients[], L: number, lat: ArrayLike<number>, lon: ArrayLike<number>): Float64Array[] {
  const ny = lat.length;
  const nx = lon.length;
  for (const s of sets) {
    if (s.re.length !== triSize(L) || s.im.length !== triSize(L)) throw new RangeError(`inverseRealSht: coefficient triangles must have ${triSize(L)} entries for L = ${L}`);
  }
  for (let i = 0; i < ny; i++) {
    if (!(Math.abs(lat[i]) <= 90)) throw new RangeError(`inverseRealSht: lat[${i}] = ${lat[i]} is outside [−90, 90]`);
  }
  const out = sets.map(() => new Float64Array(ny * nx));
  const lon0 = globalCircleStart(lon);
  const rows = lon0 === undefined ? new DirectRows(lon, L) : new GlobalRows(nx, L, lon0);
  const P = new Float64Array(triSize(L));
  const nr = new Float64Array(L);
  const ni = new Float64Array(L);
  const sr = new Float64Array(L);
  const si = new Float64Array(L);
  for (const [n, s] of rowJobs(lat)) {
    const phi = lat[n] * DEG;
    // cos θ = sin(lat); sin θ = cos(lat), exactly 0 at the poles
    legendreRow(L, Math.sin(phi), Math.abs(lat[n]) === 90 ? 0 : Math.cos(phi), P);
    for (let k = 0; k < sets.length; k++) {
      const { re, im } = sets[k];
      for (let m = 0; m < L; m++) {
        const o = triOffset(L, m);
        let er = 0, ei = 0, or = 0, oi = 0;
        const len = L - m;
        let q = 0;
        for (; q + 1 < len; q += 2) {
          er += re[o + q] * P[o + q];
          ei += im[o + q] * P[o + q];
          or += re[o + q + 1] * P[o + q + 1];
          oi += im[o + q + 1] * P[o + q + 1];
        }
        if (q < len) {
          er += re[o + q] * P[o + q];
          ei += im[o + q] * P[o + q];
        }
        nr[m] = er + or;
        ni[m] = ei + oi;
        sr[m] = er - or;
        si[m] = ei - oi;
      }
      rows.add(out[k].subarray(n * nx, (n + 1) * nx), nr, ni, L);
      if (s >= 0) rows.add(out[k].subarray(s * nx, (s + 1) * nx), sr, si, L);
    }
  }
  rows.flush();
  return out;
}
