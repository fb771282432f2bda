/**
 * Test-only forward projection on an equiangular grid with both poles:
 * Clenshaw–Curtis weights in cos θ (exact for polynomials of degree ≤ nlat − 1)
 * times the trapezoid rule in longitude (exact for trigonometric degree < nlon),
 * so c_lm = ∫ f conj(Y_l^m) dΩ is exact for band-limited fields with 2L ≤ nlat.
 */
import { legendreRow, triIndex, triSize } from '../../../src/models/perturb/legendre.js';

/** Clenshaw–Curtis weights for nodes x_k = cos(πk/n), k = 0 … n (∫_{−1}^{1} f dx). */
export function clenshawCurtis(nlat: number): Float64Array {
  const n = nlat - 1;
  const w = new Float64Array(nlat);
  for (let k = 0; k <= n; k++) {
    let s = 1;
    for (let j = 1; j <= Math.floor(n / 2); j++) {
      const b = 2 * j === n ? 1 : 2;
      s -= (b / (4 * j * j - 1)) * Math.cos((2 * j * k * Math.PI) / n);
    }
    w[k] = ((k === 0 || k === n ? 1 : 2) / n) * s;
  }
  return w;
}

/**
 * Coefficients of f [lat.length, lon.length] on the grid lat 90 → −90 (nlat
 * rows, poles included), lon 0 … 360·(nx−1)/nx: for m > 0 the complex a_lm of
 * the inverse real SHT, for m = 0 its real part (its imaginary part is not in f).
 */
export function project(f: Float64Array, nlat: number, nlon: number, L: number): { re: Float64Array; im: Float64Array } {
  const w = clenshawCurtis(nlat);
  const re = new Float64Array(triSize(L));
  const im = new Float64Array(triSize(L));
  const P = new Float64Array(triSize(L));
  for (let i = 0; i < nlat; i++) {
    const lat = 90 - (180 * i) / (nlat - 1);
    const phi = (lat * Math.PI) / 180;
    legendreRow(L, Math.sin(phi), i === 0 || i === nlat - 1 ? 0 : Math.cos(phi), P);
    for (let m = 0; m < L; m++) {
      // ∫ f e^{−imφ} dφ by the trapezoid rule
      let cr = 0;
      let ci = 0;
      for (let j = 0; j < nlon; j++) {
        const a = (2 * Math.PI * m * j) / nlon;
        cr += f[i * nlon + j] * Math.cos(a);
        ci -= f[i * nlon + j] * Math.sin(a);
      }
      const q = (w[i] * 2 * Math.PI) / nlon;
      for (let l = m; l < L; l++) {
        const k = triIndex(L, l, m);
        re[k] += q * cr * P[k];
        im[k] += q * ci * P[k];
      }
    }
  }
  return { re, im };
}
