/**
 * Orthonormal associated Legendre functions P̄_l^m(cos θ), with the
 * Condon–Shortley phase (−1)^m, such that Y_l^m(θ, φ) = P̄_l^m(cos θ) e^{imφ}
 * is orthonormal on the unit sphere (∫ |Y|² dΩ = 1) — torch_harmonics'
 * "ortho" normalisation. Computed by the standard stable recurrences in
 * degree (Schaeffer 2013, Rapp 1982):
 *   P̄_0^0 = 1/√(4π),  P̄_m^m = −√((2m+1)/(2m)) sin θ P̄_{m−1}^{m−1},
 *   P̄_{m+1}^m = √(2m+3) cos θ P̄_m^m,
 *   P̄_l^m = a_lm (cos θ P̄_{l−1}^m − b_lm P̄_{l−2}^m),
 *   a_lm = √((4l²−1)/(l²−m²)),  b_lm = √(((l−1)²−m²)/(4(l−1)²−1)).
 * No factorials, so no overflow. P̄_m^m ∝ sin^m θ underflows to 0 only where
 * every P̄_l^m with l < ~1900 is below 1e-300 as well, so degrees up to
 * {@link LMAX_LIMIT} are exact to rounding.
 *
 * Storage is m-major over the triangle 0 ≤ m ≤ l < L: the entries of order m
 * are contiguous in l, at {@link triOffset}(L, m) + (l − m).
 */

/** Largest band limit L (degrees 0 … L−1) for which the recurrence is free of harmful underflow. */
export const LMAX_LIMIT = 1800;

/** Number of (l, m) pairs with 0 ≤ m ≤ l < L. */
export function triSize(L: number): number {
  return (L * (L + 1)) / 2;
}

/** Index of (l = m, m) in the m-major triangle of band limit L. */
export function triOffset(L: number, m: number): number {
  return m * L - (m * (m - 1)) / 2;
}

/** Index of (l, m) in the m-major triangle of band limit L. */
export function triIndex(L: number, l: number, m: number): number {
  return triOffset(L, m) + l - m;
}

interface Recurrence {
  a: Float64Array;
  b: Float64Array;
  diag: Float64Array;
}

const recurrences = new Map<number, Recurrence>();

/** The recurrence coefficients for band limit L (cached: the square roots dominate the cost otherwise). */
function recurrence(L: number): Recurrence {
  let r = recurrences.get(L);
  if (r) return r;
  const a = new Float64Array(triSize(L));
  const b = new Float64Array(triSize(L));
  const diag = new Float64Array(L);
  for (let m = 0; m < L; m++) {
    diag[m] = m === 0 ? 1 / Math.sqrt(4 * Math.PI) : -Math.sqrt((2 * m + 1) / (2 * m));
    const o = triOffset(L, m);
    if (m + 1 < L) a[o + 1] = Math.sqrt(2 * m + 3);
    for (let l = m + 2; l < L; l++) {
      a[o + l - m] = Math.sqrt((4 * l * l - 1) / (l * l - m * m));
      b[o + l - m] = Math.sqrt(((l - 1) * (l - 1) - m * m) / (4 * (l - 1) * (l - 1) - 1));
    }
  }
  r = { a, b, diag };
  recurrences.set(L, r);
  return r;
}

/**
 * P̄_l^m(x) for all 0 ≤ m ≤ l < L into `out` (m-major, length triSize(L)),
 * at x = cos θ, s = sin θ ≥ 0 (pass both so that s is exactly 0 at the poles).
 */
export function legendreRow(L: number, x: number, s: number, out: Float64Array): Float64Array {
  const { a, b, diag } = recurrence(L);
  let pmm = diag[0];
  for (let m = 0; m < L; m++) {
    if (m > 0) pmm *= diag[m] * s;
    const o = triOffset(L, m);
    out[o] = pmm;
    if (m + 1 >= L) continue;
    let p2 = pmm;
    let p1 = a[o + 1] * x * pmm;
    out[o + 1] = p1;
    for (let k = 2, n = L - m; k < n; k++) {
      const p = a[o + k] * (x * p1 - b[o + k] * p2);
      out[o + k] = p;
      p2 = p1;
      p1 = p;
    }
  }
  return out;
}
