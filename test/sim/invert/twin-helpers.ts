/** Scores of a twin inversion against its truth, printed so the numbers land in the test log. */
import type { InversionResult } from '../../../src/sim/invert/invert.js';
import type { InversionData } from '../../../src/sim/invert/objective.js';
import { gaussianNoise, twinSteadyState, withNoise, type TwinTruth } from '../../../src/sim/invert/twin.js';

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

/**
 * Observations of a twin truth with seeded noise: surface 1 m everywhere on
 * the mask; with `thkEvery`, velocity 1 m a⁻¹ per component and thickness
 * 3 m at the mask cells k with (k·7919) mod thkEvery = 0.
 */
export function noisyObservations(truth: TwinTruth, grid: InversionData['grid'], seed: number, thkEvery?: number): InversionData {
  const rnd = gaussianNoise(seed);
  const d: InversionData = { grid, icemask: truth.icemask, smb: truth.smb, dhdt: truth.dhdt, usurfobs: withNoise(truth.usurf, 1, rnd, truth.icemask) };
  if (thkEvery === undefined) return d;
  const thkobs = new Float32Array(truth.thk.length).fill(NaN);
  for (let k = 0; k < thkobs.length; k++) if (truth.icemask[k] > 0.5 && (k * 7919) % thkEvery === 0) thkobs[k] = truth.thk[k] + 3 * rnd();
  return { ...d, thkobs, uvelsurfobs: withNoise(truth.uvelsurf, 1, rnd, truth.icemask, true), vvelsurfobs: withNoise(truth.vvelsurf, 1, rnd, truth.icemask, true) };
}

/**
 * The synthetic bumpy-bed valley twin: 40 × 17 cells of 250 m, an inclined
 * parabolic valley with bumps on the floor, 600 a of SIA + superbee transport
 * under an ELA 3200 m balance to a steady state.
 */
export function valleyTwin(): { grid: InversionData['grid']; truth: TwinTruth } {
  const nx = 40;
  const ny = 17;
  const dx = 250;
  const grid = { nx, ny, dx, dy: dx };
  const topg = new Float32Array(nx * ny);
  const allow = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const x = i * dx;
      const y = (j - (ny - 1) / 2) * dx;
      topg[j * nx + i] = 3400 - 0.1 * x + 500 * (y / 2000) ** 2 + 40 * Math.sin(x / 700) * Math.cos(y / 900);
      allow[j * nx + i] = Math.abs(y) < 1900 && x > 200 && x < 8500 ? 1 : 0;
    }
  }
  return { grid, truth: twinSteadyState({ grid, topg, ela: 3200, gradabl: 0.009, gradacc: 0.005, accmax: 1, years: 600, icemask: allow }) };
}
