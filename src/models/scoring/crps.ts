/**
 * Ensemble CRPS, O(m log m) per point, in its two usual forms:
 *   fair      CRPS_f = (1/m) Σ|x_i − y| − 1/(2m(m−1)) Σ_i Σ_j |x_i − x_j|
 *   standard  CRPS_s = (1/m) Σ|x_i − y| − 1/(2m²)     Σ_i Σ_j |x_i − x_j|
 * with Σ_i Σ_j |x_i − x_j| = 2 Σ_k (2k − m − 1) x_(k) over the sorted members
 * x_(1) ≤ … ≤ x_(m) (k 1-based). The fair form is unbiased for the CRPS of the
 * distribution the members are drawn from (Ferro 2014; earth2mip's
 * `kcrps(fair=True)`); the standard form is the CRPS of the members' empirical
 * CDF (properscoring / xskillscore `crps_ensemble`).
 */
import { NunatakError } from '../../core/errors.js';

/** The two sums both forms share: Σ|x_i − y| and Σ_i Σ_j |x_i − x_j|. */
function crpsSums(members: ArrayLike<number>, y: number, buf: Float64Array): { skill: number; pairs: number } {
  const m = members.length;
  let skill = 0;
  for (let i = 0; i < m; i++) {
    buf[i] = members[i];
    skill += Math.abs(members[i] - y);
  }
  const s = buf.subarray(0, m).sort();
  let pair = 0;
  for (let k = 0; k < m; k++) pair += (2 * (k + 1) - m - 1) * s[k];
  return { skill, pairs: 2 * pair };
}

/** Fair CRPS of `members` (m ≥ 2 values) for observation `y`; `buf` is scratch of length ≥ m. */
export function fairCrps(members: ArrayLike<number>, y: number, buf: Float64Array = new Float64Array(members.length)): number {
  const m = members.length;
  if (m < 2) throw new NunatakError('INPUT', `fair CRPS needs at least 2 ensemble members, got ${m}`);
  const { skill, pairs } = crpsSums(members, y, buf);
  return skill / m - pairs / (2 * m * (m - 1));
}

/** Standard (empirical-CDF) CRPS of `members` (m ≥ 1 values) for observation `y`; `buf` is scratch of length ≥ m. */
export function standardCrps(members: ArrayLike<number>, y: number, buf: Float64Array = new Float64Array(members.length)): number {
  const m = members.length;
  if (m < 1) throw new NunatakError('INPUT', 'standard CRPS needs at least 1 ensemble member, got 0');
  const { skill, pairs } = crpsSums(members, y, buf);
  return skill / m - pairs / (2 * m * m);
}

/**
 * Rank of observation `y` among `members` (0 … m): the number of members
 * below it, plus half of those equal to it (rounded down), so ties (e.g. an
 * unperturbed control equal to the truth) fall in the middle, not always in
 * the lowest bin.
 */
export function observationRank(members: ArrayLike<number>, y: number): number {
  let below = 0;
  let equal = 0;
  for (let i = 0; i < members.length; i++) {
    if (members[i] < y) below++;
    else if (members[i] === y) equal++;
  }
  return below + Math.floor(equal / 2);
}
