/**
 * Normalisation statistics [p10, p90, mean, std] per variable (δMG layout,
 * std floored at 0.001), with log-normalised variables first mapped
 * x → log10(√x + 0.1). NN inputs are z-scores with NaN set to 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';

export type Stats = [number, number, number, number];
export type StatsTable = Record<string, Stats>;

export const logTransform = (x: number): number => Math.log10(Math.sqrt(Math.max(x, 0)) + 0.1);

/** Stats over the finite values of `x` (after the log transform when `log`). */
export function computeStats(x: ArrayLike<number>, log = false): Stats {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = log ? logTransform(x[i]) : x[i];
    if (Number.isFinite(a)) v.push(a);
  }
  if (v.length === 0) throw new NunatakError('NUMERIC', 'cannot compute normalisation statistics: no finite values');
  v.sort((a, b) => a - b);
  const q = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))];
  const mean = v.reduce((s, a) => s + a, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / Math.max(1, v.length - 1));
  return [q(0.1), q(0.9), mean, Math.max(sd, 0.001)];
}

/** z-score (log transform first when `log`); NaN → 0. */
export function normalise(x: number, s: Stats, log = false): number {
  const a = log ? logTransform(x) : x;
  const z = (a - s[2]) / s[3];
  return Number.isFinite(z) ? z : 0;
}

export function saveStats(file: string, stats: StatsTable): void {
  writeFileSync(file, JSON.stringify(stats, null, 1));
}

export function loadStats(file: string): StatsTable {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StatsTable;
  } catch (e) {
    throw new NunatakError('IO', `cannot read normalisation statistics ${file}: ${(e as Error).message}`, { cause: e });
  }
}
