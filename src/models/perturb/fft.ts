/**
 * Complex FFT of any length: iterative radix-2 for powers of two, Bluestein's
 * chirp-z (through a radix-2 FFT of length ≥ 2n − 1) otherwise, so the
 * 1440- and 360-point longitude circles of earth2mip's grids cost
 * O(n log n) instead of a direct O(n²) DFT.
 */

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** In-place radix-2 FFT: X_k = Σ_j x_j e^{sign·2πi jk/n} (no scaling). */
function radix2(re: Float64Array, im: Float64Array, sign: number, cos: Float64Array, sin: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let s = 0; s < n; s += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = s + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return { cos, sin };
}

/** A planned DFT of length `n` (tables computed once, reused for every call). */
export class Fft {
  private readonly m: number;
  private readonly tw: { cos: Float64Array; sin: Float64Array };
  /** Bluestein chirp e^{iπk²/n} and the FFT of its (conjugate-symmetric) filter. */
  private readonly chirpRe?: Float64Array;
  private readonly chirpIm?: Float64Array;
  private readonly filtRe?: Float64Array;
  private readonly filtIm?: Float64Array;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Fft: length must be a positive integer, got ${n}`);
    this.m = isPow2(n) ? n : 2 ** Math.ceil(Math.log2(2 * n - 1));
    this.tw = twiddles(Math.max(this.m, 2));
    this.bufRe = new Float64Array(this.m);
    this.bufIm = new Float64Array(this.m);
    if (isPow2(n)) return;
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle exact for large k
      const a = (Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(a);
      this.chirpIm[k] = Math.sin(a);
    }
    this.filtRe = new Float64Array(this.m);
    this.filtIm = new Float64Array(this.m);
    for (let k = 0; k < n; k++) {
      this.filtRe[k] = this.chirpRe[k];
      this.filtIm[k] = this.chirpIm[k];
      if (k > 0) {
        this.filtRe[this.m - k] = this.chirpRe[k];
        this.filtIm[this.m - k] = this.chirpIm[k];
      }
    }
    radix2(this.filtRe, this.filtIm, -1, this.tw.cos, this.tw.sin);
  }

  /** In place: X_k = Σ_j x_j e^{sign·2πi jk/n}, sign −1 (forward) or +1 (inverse, unscaled). */
  transform(re: Float64Array, im: Float64Array, sign: 1 | -1): void {
    const { n, m } = this;
    if (re.length !== n || im.length !== n) throw new RangeError(`Fft: arrays must have length ${n}`);
    if (n === 1) return;
    if (m === n) {
      radix2(re, im, sign, this.tw.cos, this.tw.sin);
      return;
    }
    // jk = (j² + k² − (k − j)²)/2: X_k = w_k Σ_j (x_j w_j) conj-chirp(k − j), with w = chirp^{sign}
    const cr = this.chirpRe as Float64Array;
    const ci = this.chirpIm as Float64Array;
    const fr = this.filtRe as Float64Array;
    const fi = this.filtIm as Float64Array;
    const br = this.bufRe;
    const bi = this.bufIm;
    br.fill(0);
    bi.fill(0);
    for (let j = 0; j < n; j++) {
      const wr = cr[j];
      const wi = sign * ci[j];
      br[j] = re[j] * wr - im[j] * wi;
      bi[j] = re[j] * wi + im[j] * wr;
    }
    // circular convolution with h_d = conj(w_d): h = chirp for sign −1 (planned), conj(chirp) for
    // sign +1, whose FFT is conj(FFT(chirp)) at −k
    radix2(br, bi, -1, this.tw.cos, this.tw.sin);
    for (let k = 0; k < m; k++) {
      const q = sign === 1 ? (m - k) % m : k;
      const gr = fr[q];
      const gi = sign === 1 ? -fi[q] : fi[q];
      const xr = br[k] * gr - bi[k] * gi;
      bi[k] = br[k] * gi + bi[k] * gr;
      br[k] = xr;
    }
    radix2(br, bi, 1, this.tw.cos, this.tw.sin);
    for (let k = 0; k < n; k++) {
      const wr = cr[k];
      const wi = sign * ci[k];
      const xr = br[k] / m;
      const xi = bi[k] / m;
      re[k] = xr * wr - xi * wi;
      im[k] = xr * wi + xi * wr;
    }
  }
}
