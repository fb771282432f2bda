/**
 * Per-basin evaluation metrics on the finite (obs, sim) pairs, following δMG's
 * definitions: NSE, KGE (2009, σ ratio), KGE′ (2012, CV ratio), Pearson r,
 * RMSE (mm/d), bias = mean(sim − obs) (mm/d), pbias (%), FHV = pbias of the
 * top 2 % of the separately sorted flows, FLV = pbias of the lowest 30 %
 * (flows offset by 1e-4).
 */
import { NunatakError } from '../../core/errors.js';

export interface BasinMetrics {
  n: number;
  nse: number;
  kge: number;
  kge_12: number;
  corr: number;
  rmse: number;
  bias: number;
  pbias: number;
  fhv: number;
  flv: number;
}

export const METRIC_NAMES: Array<keyof BasinMetrics> = ['nse', 'kge', 'kge_12', 'corr', 'rmse', 'bias', 'pbias', 'fhv', 'flv'];

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const std = (a: number[], m: number) => Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length);
const pb = (p: number[], o: number[]) => (100 * p.reduce((s, x, i) => s + x - o[i], 0)) / o.reduce((s, x) => s + x, 0);

export function basinMetrics(sim: ArrayLike<number>, obs: ArrayLike<number>): BasinMetrics {
  const p: number[] = [], o: number[] = [];
  for (let i = 0; i < obs.length; i++) {
    if (Number.isNaN(obs[i])) continue;
    if (!Number.isFinite(sim[i])) throw new NunatakError('NUMERIC', `simulated flow is ${sim[i]} at step ${i}`, { hint: 'the model produced NaN/Inf; check parameters and inputs' });
    p.push(sim[i]);
    o.push(obs[i]);
  }
  const n = o.length;
  if (n < 2) throw new NunatakError('INPUT', `only ${n} observed days: cannot compute metrics`);
  const mo = mean(o), mp = mean(p);
  const so = std(o, mo), sp = std(p, mp);
  let sse = 0, sst = 0, cov = 0;
  for (let i = 0; i < n; i++) {
    sse += (p[i] - o[i]) ** 2;
    sst += (o[i] - mo) ** 2;
    cov += (p[i] - mp) * (o[i] - mo);
  }
  const r = cov / n / (so * sp);
  const kge = 1 - Math.sqrt((r - 1) ** 2 + (sp / so - 1) ** 2 + (mp / mo - 1) ** 2);
  const kge12 = 1 - Math.sqrt((r - 1) ** 2 + ((sp / mp) / (so / mo) - 1) ** 2 + (mp / mo - 1) ** 2);
  const ps = [...p].sort((a, b) => b - a), os = [...o].sort((a, b) => b - a);
  const nh = Math.max(1, Math.round(0.02 * n));
  const nl = Math.max(1, Math.round(0.3 * n));
  const fhv = pb(ps.slice(0, nh), os.slice(0, nh));
  const flv = pb(ps.slice(n - nl).map((x) => x + 1e-4), os.slice(n - nl).map((x) => x + 1e-4));
  return { n, nse: 1 - sse / sst, kge, kge_12: kge12, corr: r, rmse: Math.sqrt(sse / n), bias: mp - mo, pbias: pb(p, o), fhv, flv };
}

/** Median, mean and std of every metric over basins. */
export function aggregate(ms: BasinMetrics[]): Record<string, { median: number; mean: number; std: number }> {
  const out: Record<string, { median: number; mean: number; std: number }> = {};
  for (const k of METRIC_NAMES) {
    const v = ms.map((m) => m[k]).filter(Number.isFinite).sort((a, b) => a - b);
    if (v.length === 0) continue;
    const mid = v.length >> 1;
    const med = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    const m = mean(v);
    out[k] = { median: med, mean: m, std: std(v, m) };
  }
  return out;
}
