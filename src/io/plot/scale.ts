/**
 * Value normalisation (linear / log10) and "nice" axis ticks for maps,
 * colorbars and charts.
 */
import { NunatakError } from '../../core/errors.js';

export type ScaleKind = 'linear' | 'log';

/** Normalise v to [0, 1] between vmin and vmax (log10 for 'log'); NaN stays NaN. */
export function normalize(v: number, vmin: number, vmax: number, kind: ScaleKind): number {
  if (kind === 'log') {
    if (!(v > 0)) return NaN;
    return (Math.log10(v) - Math.log10(vmin)) / (Math.log10(vmax) - Math.log10(vmin));
  }
  return (v - vmin) / (vmax - vmin);
}

/** Finite min / max of an array (positive values only for log scales). */
export function dataRange(data: ArrayLike<number>, kind: ScaleKind, what: string): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (!Number.isFinite(v) || (kind === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) {
    throw new NunatakError('INPUT', `${what}: no finite${kind === 'log' ? ' positive' : ''} values to plot`, {
      hint: kind === 'log' ? 'a log scale needs values > 0' : 'the field is all NaN',
    });
  }
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

/** About `target` nicely rounded linear ticks (1, 2, 2.5, 5 × 10^k steps) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= target + 1) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Decade ticks (10^k) within [lo, hi] for log scales; adds 2× and 5× when few decades. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const k0 = Math.floor(Math.log10(lo));
  const k1 = Math.ceil(Math.log10(hi));
  const mult = k1 - k0 <= 2 ? [1, 2, 5] : [1];
  for (let k = k0; k <= k1; k++) for (const m of mult) {
    const v = m * 10 ** k;
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out;
}

/** Short tick label: up to 4 significant digits, exponent form for very large / small values. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a));
    const m = v / 10 ** e;
    return `${Number(m.toPrecision(3))}e${e}`;
  }
  return String(Number(v.toPrecision(4)));
}
