/**
 * Flotation-aware surfaces (IGM `thk`): lsurf = max(topg, sealevel − (ρ_i/ρ_w)·H),
 * usurf = lsurf + H = max(topg + H, sealevel + (1 − ρ_i/ρ_w)·H). All in m.
 */
import { RHO_ICE, RHO_WATER } from './constants.js';

/** Writes `usurf` (m) and, when given, `lsurf` (m) from `thk` and `topg`. */
export function updateSurface(
  thk: Float32Array,
  topg: Float32Array,
  usurf: Float32Array,
  sealevel = 0,
  ratioDensity = RHO_ICE / RHO_WATER,
  lsurf?: Float32Array,
): void {
  const n = thk.length;
  for (let k = 0; k < n; k++) {
    const h = thk[k];
    const fb = sealevel - ratioDensity * h;
    const b = topg[k];
    const l = b > fb ? b : fb;
    usurf[k] = l + h;
    if (lsurf !== undefined) lsurf[k] = l;
  }
}
