import { mulberry32 } from '../../core/rng.js';

/** Seeded random numbers for reproducible weight initialisation and sampling. */
export type Rng = () => number;

/** mulberry32 (core/rng): uniform in [0, 1). */
export const makeRng: (seed: number) => Rng = mulberry32;

/** n values uniform in [−r, r]. */
export function uniform(rng: Rng, n: number, r: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng() - 1) * r;
  return out;
}
