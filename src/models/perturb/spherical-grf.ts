/**
 * earth2mip's `spherical_grf` perturbation (earth2studio `SphericalGaussian`,
 * torch_harmonics `GaussianRandomFieldS2`): a zero-mean Gaussian random field
 * on the unit sphere with Matérn covariance C = σ² (−Δ + τ² I)^(−α), drawn as
 * a Karhunen–Loève expansion — standard normal spherical-harmonic
 * coefficients ξ_lm times √eigenvalue s_l = σ (l(l+1) + τ²)^(−α/2)
 * (s_0 = 0; σ defaults to τ^(α−1)), then an inverse SHT with torch_harmonics'
 * norm="backward" basis Y_l^m/√(4π).
 *
 * Two differences from earth2mip, both deliberate:
 * - the field is evaluated at the model grid's own latitudes (a 721-row grid
 *   keeps both poles); earth2mip synthesises on a 720-row pole-to-pole grid and
 *   copies its last row, which shifts rows by up to one grid spacing;
 * - `isotropic` (default) gives the m = 0 coefficients variance 2 s_l², as the
 *   addition theorem requires for a field whose variance is the same at every
 *   latitude. torch_harmonics keeps only Re ξ_l0 (variance s_l²) while each
 *   m > 0 term counts twice, so its field's variance is
 *   Σ_l s_l² [2(2l+1)/(4π) − P̄_l0²]/(4π): half the isotropic value at the
 *   poles. `isotropic: false` reproduces that draw exactly.
 */
import { legendreRow, LMAX_LIMIT, triOffset, triSize } from './legendre.js';
import { inverseRealSht, type ShtCoefficients } from './inverse-sht.js';
import { fillNormal } from './random.js';

/** Parameters of the field (names as in earth2mip / earth2studio). */
export interface SphericalGrfParams {
  /** Regularity (spectral exponent); larger is smoother. > 1 when sigma is not given. */
  alpha: number;
  /** Inverse length scale (1/radian on the unit sphere); larger gives more small scales. */
  tau: number;
  /** Scale σ; default τ^(α−1) (earth2mip's `tau ** (0.5 * (2 * alpha - 2))`). */
  sigma?: number;
  /** m = 0 coefficients with variance 2 s_l² (isotropic, default) or s_l² (torch_harmonics' draw). */
  isotropic?: boolean;
}

/** σ of the parameters (the default when unset). */
export function grfSigma(p: SphericalGrfParams): number {
  return p.sigma ?? p.tau ** (p.alpha - 1);
}

/** s_l = σ (l(l+1) + τ²)^(−α/2) for l < L, s_0 = 0 (earth2mip's `sqrt_eig`, radius 1). */
export function grfSqrtEigenvalues(L: number, p: SphericalGrfParams): Float64Array {
  const sigma = grfSigma(p);
  const s = new Float64Array(L);
  for (let l = 1; l < L; l++) s[l] = sigma * (l * (l + 1) + p.tau * p.tau) ** (-p.alpha / 2);
  return s;
}

/**
 * Band limit L (degrees 0 … L−1) for a latitude axis: 180°/Δlat, Δlat the
 * smallest row spacing — earth2mip's nlat for its 721×1440 (720) and
 * earth2studio's for 181×360 (180) grids.
 */
export function grfBandLimit(lat: ArrayLike<number>): number {
  let d = Infinity;
  for (let i = 1; i < lat.length; i++) d = Math.min(d, Math.abs(lat[i] - lat[i - 1]));
  if (!(d > 0) || !Number.isFinite(d)) return 2;
  return Math.min(LMAX_LIMIT, Math.max(2, Math.round(180 / d)));
}

/**
 * Spherical-harmonic coefficients (m-major triangle, band limit L) from
 * standard normal ξ (Re, Im interleaved per (l, m), length 2·triSize(L)).
 */
export function grfCoefficients(xi: ArrayLike<number>, L: number, p: SphericalGrfParams): ShtCoefficients {
  const s = grfSqrtEigenvalues(L, p);
  const re = new Float64Array(triSize(L));
  const im = new Float64Array(triSize(L));
  const backward = 1 / Math.sqrt(4 * Math.PI);
  const m0 = p.isotropic === false ? 1 : Math.SQRT2;
  for (let m = 0; m < L; m++) {
    const o = triOffset(L, m);
    for (let l = m; l < L; l++) {
      const f = s[l] * backward * (m === 0 ? m0 : 1);
      re[o + l - m] = xi[2 * (o + l - m)] * f;
      im[o + l - m] = m === 0 ? 0 : xi[2 * (o + l - m) + 1] * f;
    }
  }
  return { re, im };
}

/** Expected variance of the field at latitude `lat` (degrees), from the addition theorem. */
export function grfPointVariance(L: number, p: SphericalGrfParams, lat: number): number {
  const s = grfSqrtEigenvalues(L, p);
  const P = legendreRow(L, Math.sin((lat * Math.PI) / 180), Math.cos((lat * Math.PI) / 180), new Float64Array(triSize(L)));
  let v = 0;
  for (let l = 1; l < L; l++) v += (s[l] * s[l] * (2 * (2 * l + 1) / (4 * Math.PI) - (p.isotropic === false ? P[l] * P[l] : 0))) / (4 * Math.PI);
  return v;
}

/**
 * `count` independent fields on the lat/lon grid (degrees; rows = lat),
 * [count, lat.length, lon.length], with ξ drawn from `u` field after field.
 */
export function sphericalGrf(u: () => number, count: number, lat: ArrayLike<number>, lon: ArrayLike<number>, p: SphericalGrfParams, L = grfBandLimit(lat)): Float64Array {
  const sets: ShtCoefficients[] = [];
  for (let c = 0; c < count; c++) {
    const xi = new Float64Array(2 * triSize(L));
    fillNormal(xi, u);
    sets.push(grfCoefficients(xi, L, p));
  }
  const fields = inverseRealSht(sets, L, lat, lon);
  const n = lat.length * lon.length;
  const out = new Float64Array(count * n);
  fields.forEach((f, c) => out.set(f, c * n));
  return out;
}
