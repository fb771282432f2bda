/**
 * Surface-speed agreement of two Blatter–Pattyn fields (an emulator's and
 * the solver's), on cells or on staggered-grid corners.
 *
 * Why corners: IGM's energy (nunatak's, equal to it to 1e-6) sees U, V only
 * through corner means and differences over corners whose four cells all
 * hold ice. A checkerboard (−1)^(i+j) added to the ice cells of any level
 * above the bed leaves the energy unchanged (test: 1e-9 relative), so the
 * minimum fixes the four-cell means, not the cell values: two L-BFGS
 * answers 0.2 % apart in energy differ by 0.58 in the cell metric and by
 * 0.0075 in the corner metric on Hintereisferner (docs/emulator.md).
 */
import { NunatakError } from '../core/errors.js';

/** U, V (m a⁻¹) on Nz levels, [k][j][i], k = 0 at the bed. */
export interface BPField {
  U: Float32Array;
  V: Float32Array;
}

export type SpeedPoints = 'cells' | 'corners';

export interface SpeedAgreement {
  /** Mean |s_e − s_r| / s_r over the points where the reference surface speed s_r exceeds `minSpeed`. */
  meanRel: number;
  /** Points counted. */
  count: number;
}

/**
 * Mean relative surface-speed difference of `e` against the reference `r`
 * (top level Nz − 1). 'cells': per cell. 'corners': the four-cell mean of U
 * and V at every corner whose four cells hold ice (IGM's stag4 and COND).
 */
export function surfaceSpeedAgreement(
  e: BPField, r: BPField, grid: { nx: number; ny: number; thk: Float32Array }, Nz: number, on: SpeedPoints, minSpeed = 1,
): SpeedAgreement {
  const { nx, ny, thk } = grid;
  const n = nx * ny, size = Nz * n;
  for (const [name, a] of [['emulator U', e.U], ['emulator V', e.V], ['reference U', r.U], ['reference V', r.V]] as const) {
    if (a.length !== size) throw new NunatakError('SHAPE', `surfaceSpeedAgreement: ${name} has ${a.length} values, expected Nz·ny·nx = ${size}`);
  }
  const top = (Nz - 1) * n;
  let sum = 0, count = 0;
  const add = (se: number, sr: number) => {
    if (sr > minSpeed) {
      sum += Math.abs(se - sr) / sr;
      count++;
    }
  };
  if (on === 'cells') {
    for (let p = 0; p < n; p++) add(Math.hypot(e.U[top + p], e.V[top + p]), Math.hypot(r.U[top + p], r.V[top + p]));
  } else {
    const mean4 = (f: Float32Array, p: number) => (f[top + p] + f[top + p + 1] + f[top + p + nx] + f[top + p + nx + 1]) / 4;
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const p = j * nx + i;
        if (!(thk[p] > 0 && thk[p + 1] > 0 && thk[p + nx] > 0 && thk[p + nx + 1] > 0)) continue;
        add(Math.hypot(mean4(e.U, p), mean4(e.V, p)), Math.hypot(mean4(r.U, p), mean4(r.V, p)));
      }
    }
  }
  return { meanRel: count ? sum / count : NaN, count };
}
