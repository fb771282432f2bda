// Float64 reference convolution (NHWC, filter [KH,KW,CI,CO]) in plain TS, for
// finite-difference checks independent of TF.js.
import { mulberry32 } from '../../../src/core/rng.js';
export interface ConvSpec { B: number; H: number; W: number; CI: number; KH: number; KW: number; CO: number; s: number; pad: 'same' | 'valid' }

export function outSize(n: number, k: number, s: number, pad: 'same' | 'valid'): { o: number; before: number } {
  if (pad === 'valid') return { o: Math.ceil((n - k + 1) / s), before: 0 };
  const o = Math.ceil(n / s);
  const total = Math.max((o - 1) * s + k - n, 0);
  return { o, before: Math.floor(total / 2) };
}

/** y[b,oy,ox,co] = Σ x[b, oy·s+kh−pt, ox·s+kw−pl, ci]·w[kh,kw,ci,co], in float64. */
export function conv2dRef(x: Float64Array, w: Float64Array, c: ConvSpec): { y: Float64Array; OH: number; OW: number } {
  const { o: OH, before: pt } = outSize(c.H, c.KH, c.s, c.pad);
  const { o: OW, before: pl } = outSize(c.W, c.KW, c.s, c.pad);
  const y = new Float64Array(c.B * OH * OW * c.CO);
  for (let b = 0; b < c.B; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let kh = 0; kh < c.KH; kh++) {
          const iy = oy * c.s + kh - pt;
          if (iy < 0 || iy >= c.H) continue;
          for (let kw = 0; kw < c.KW; kw++) {
            const ix = ox * c.s + kw - pl;
            if (ix < 0 || ix >= c.W) continue;
            for (let ci = 0; ci < c.CI; ci++) {
              const xv = x[((b * c.H + iy) * c.W + ix) * c.CI + ci];
              for (let co = 0; co < c.CO; co++) y[((b * OH + oy) * OW + ox) * c.CO + co] += xv * w[((kh * c.KW + kw) * c.CI + ci) * c.CO + co];
            }
          }
        }
  return { y, OH, OW };
}

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32). */
export function rand(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
