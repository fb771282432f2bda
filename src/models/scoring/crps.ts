/**
 * Fair (unbiased) ensemble CRPS, O(m log m) per point:
 *   CRPS_fair = (1/m) Σ|x_i − y| − 1/(2m(m−1)) Σ_i Σ_j |x_i − x_j|
 * with Σ_i Σ_j |x_i − x_j| = 2 Σ_k (2k − m − 1) x_(k) over the sorted members
 * x_(1) ≤ … ≤ x_(m) (k 1-based). Ferro (2014); earth2mip's `kcrps(fair=True)`.
 */
import { NunatakError } from '../../core/errors.js';

/** Fair CRPS of `members` (m ≥ 2 values) for observation `y`; `buf` is scratch of length ≥ m. */
export function fairCrps(members: ArrayLike<number>, y: number, buf: Float64Array = new Float64Array(members.length)): number {
  const m = members.length;
  if (m < 2) throw new NunatakError('INPUT', `fair CRPS needs at least 2 ensemble members, got ${m}`);
  let skill = 0;
  for (let i = 0; i < m; i++) {
    buf[i] = members[i];
    skill += Math.abs(members[i] - y);
  }
  const s = buf.subarray(0, m).sort();
  let pair = 0;
  for (let k = 0; k < m; k++) pair += (2 * (k + 1) - m - 1) * s[k];
  return skill / m - (2 * pair) / (2 * m * (m - 1));
}
