/** Scores of a twin inversion against its truth, printed so the numbers land in the test log. */
import type { InversionResult } from '../../../src/sim/invert/invert.js';
import type { TwinTruth } from '../../../src/sim/invert/twin.js';

export interface TwinScore {
  /** Thickness RMSE over the true mask / mean true thickness. */
  rmseRel: number;
  /** (V_inverted − V_true) / V_true. */
  volumeRel: number;
  meanTrue: number;
}

export function twinScore(label: string, truth: TwinTruth, r: InversionResult): TwinScore {
  let se = 0;
  let n = 0;
  let vt = 0;
  let vi = 0;
  for (let k = 0; k < truth.thk.length; k++) {
    if (!(truth.icemask[k] > 0.5)) continue;
    se += (r.thk[k] - truth.thk[k]) ** 2;
    vt += truth.thk[k];
    vi += r.thk[k];
    n++;
  }
  const s = { rmseRel: Math.sqrt(se / n) / (vt / n), volumeRel: vi / vt - 1, meanTrue: vt / n };
  console.log(
    `# twin ${label}: ${n} cells, mean true thickness ${s.meanTrue.toFixed(1)} m, RMSE ${Math.sqrt(se / n).toFixed(1)} m = ${(100 * s.rmseRel).toFixed(1)} %, ` +
      `volume ${(100 * s.volumeRel).toFixed(2)} %, ${r.iterations} iterations (${r.reason})`,
  );
  return s;
}
