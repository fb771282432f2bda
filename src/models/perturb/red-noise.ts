/**
 * Correlated ("red", or brown for r = 2) noise on a 2-D grid: the Fourier
 * amplitudes of white noise are multiplied by S(f) = 1 / (|f_x|^r + |f_y|^r)
 * (S(0) = 0), so the power spectrum goes as S², then back to real space and
 * scaled to unit RMS. Same recipe as earth2mip's `brown_noise` (which
 * multiplies by S, not √S).
 * The DFT is separable and direct: O(ny·nx·(ny+nx)), fine for model grids up
 * to a few hundred points a side.
 */

function dft1(re: Float64Array, im: Float64Array, n: number, stride: number, offset: number, sign: number, cos: Float64Array, sin: Float64Array, tr: Float64Array, ti: Float64Array): void {
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const t = (k * j) % n;
      const xr = re[offset + j * stride];
      const xi = im[offset + j * stride];
      sr += xr * cos[t] - sign * xi * sin[t];
      si += xi * cos[t] + sign * xr * sin[t];
    }
    tr[k] = sr;
    ti[k] = si;
  }
  for (let k = 0; k < n; k++) {
    re[offset + k * stride] = tr[k];
    im[offset + k * stride] = ti[k];
  }
}

/** In-place 2-D DFT of [ny, nx] (sign −1 forward, +1 inverse without 1/N). */
export function dft2(re: Float64Array, im: Float64Array, ny: number, nx: number, sign: number): void {
  for (const [n, stride, count, step] of [[nx, 1, ny, nx], [ny, nx, nx, 1]] as const) {
    const cos = new Float64Array(n);
    const sin = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      cos[t] = Math.cos((2 * Math.PI * t) / n);
      sin[t] = Math.sin((2 * Math.PI * t) / n);
    }
    const tr = new Float64Array(n);
    const ti = new Float64Array(n);
    for (let r = 0; r < count; r++) dft1(re, im, n, stride, r * step, sign, cos, sin, tr, ti);
  }
}

/** numpy.fft.fftfreq(n) */
function freq(k: number, n: number): number {
  return (k < Math.ceil(n / 2) ? k : k - n) / n;
}

/** Shape white noise `white` [ny, nx] into unit-RMS red noise with spectral exponent `r`. */
export function redNoiseFromWhite(white: ArrayLike<number>, ny: number, nx: number, r: number): Float64Array {
  const n = ny * nx;
  const re = Float64Array.from(white);
  const im = new Float64Array(n);
  dft2(re, im, ny, nx, -1);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const p = j * nx + i;
      const d = Math.abs(freq(i, nx)) ** r + Math.abs(freq(j, ny)) ** r;
      const a = d === 0 ? 0 : 1 / d;
      re[p] *= a;
      im[p] *= a;
    }
  }
  dft2(re, im, ny, nx, 1);
  let ss = 0;
  for (let p = 0; p < n; p++) ss += re[p] * re[p];
  const rms = Math.sqrt(ss / n);
  for (let p = 0; p < n; p++) re[p] = rms > 0 ? re[p] / rms : 0;
  return re;
}
