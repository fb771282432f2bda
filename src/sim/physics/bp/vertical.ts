/**
 * Vertical discretisation of the Blatter–Pattyn energy (IGM 2.x): Nz
 * terrain-following levels at ζ_k = (t/α)(1 + (α−1)t), t = k/(Nz−1), and the
 * weights IGM uses for the depth average ubar.
 */

/** Level heights ζ_k ∈ [0, 1] as fractions of the thickness, k = 0 (bed) … Nz−1 (surface). */
export function bpLevels(Nz: number, vertSpacing: number): Float64Array {
  const z = new Float64Array(Nz);
  for (let k = 0; k < Nz; k++) {
    const t = k / (Nz - 1);
    z[k] = (t / vertSpacing) * (1 + (vertSpacing - 1) * t);
  }
  return z;
}

/** Layer thickness fractions ζ_{k+1} − ζ_k, k = 0 … Nz−2 (they sum to 1). */
export function bpLayerFractions(Nz: number, vertSpacing: number): Float64Array {
  const z = bpLevels(Nz, vertSpacing);
  const f = new Float64Array(Nz - 1);
  for (let k = 0; k < Nz - 1; k++) f[k] = z[k + 1] - z[k];
  return f;
}

/**
 * IGM's depth-average weights (utils.py `define_vertical_weight`): the same
 * level map sampled at Nz+1 points, differenced, so ubar = Σ_k w_k U_k with
 * Σ w_k = 1. For Nz = 2, IGM instead uses ubar = U₀ + (U₁ − U₀)(n+1)/(n+2),
 * the depth average of an SIA profile; this returns those two weights.
 */
export function bpDepthWeights(Nz: number, vertSpacing: number, expGlen: number): Float64Array {
  if (Nz === 2) {
    const rat = (expGlen + 1) / (expGlen + 2);
    return Float64Array.of(1 - rat, rat);
  }
  const w = new Float64Array(Nz);
  let prev = 0;
  for (let k = 1; k <= Nz; k++) {
    const t = k / Nz;
    const z = (t / vertSpacing) * (1 + (vertSpacing - 1) * t);
    w[k - 1] = z - prev;
    prev = z;
  }
  return w;
}
