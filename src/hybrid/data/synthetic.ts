/**
 * Synthetic daily forcings for any number of basins and days (scale tests,
 * benchmarks): seasonal temperature with noise, intermittent gamma-like rain,
 * Hargreaves-like PET, and uniform random attributes in [0, 1].
 */
import { makeRng } from '../nn/init.js';
import type { Forcing } from '../process.js';

export interface SyntheticData {
  forcing: Forcing;
  /** attributes [nb, na] */
  attributes: Float32Array;
  na: number;
}

export function syntheticForcing(nb: number, nt: number, na = 0, seed = 1): SyntheticData {
  const r = makeRng(seed);
  const P = new Float32Array(nt * nb), T = new Float32Array(nt * nb), PET = new Float32Array(nt * nb);
  const wet = Float32Array.from({ length: nb }, () => 0.25 + 0.4 * r());
  const tmean = Float32Array.from({ length: nb }, () => -2 + 16 * r());
  const amp = Float32Array.from({ length: nb }, () => 5 + 10 * r());
  for (let t = 0; t < nt; t++) {
    const season = Math.sin((2 * Math.PI * (t - 100)) / 365.25);
    for (let b = 0; b < nb; b++) {
      const i = t * nb + b;
      const u = r();
      P[i] = u < wet[b] ? -6 * Math.log(1 - r()) * (0.5 + r()) : 0;
      T[i] = tmean[b] + amp[b] * season + 3 * (r() - 0.5);
      PET[i] = Math.max(0, 0.0023 * 15 * (T[i] + 17.8) * 3.5);
    }
  }
  const area = Float32Array.from({ length: nb }, () => 50 + 4000 * r());
  const attributes = Float32Array.from({ length: nb * na }, () => r());
  return { forcing: { nt, nb, P, T, PET, area }, attributes, na };
}
