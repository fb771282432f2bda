/**
 * Forecast scores from per-sample sufficient statistics.
 *
 * For every (initial time, lead, channel) one row holds area-weighted means
 * <Z>_w = Σ w_j Z_ji / Σ w_j (w_j = cos lat_j) of:
 *   mse  = <(f − o)²>           xx = <o'²>, yy = <f'²>, xy = <f' o'>   (' = minus climatology)
 *   accc = the centred per-sample ACC (anomalies minus their weighted mean)
 *   cmse = <(c − o)²>           (the climatology as a forecast)
 *   ensembles: crps = <fair CRPS>, crpss = <standard CRPS>, emse = <(mean_m f − o)²>,
 *              evar = <var_m f> (unbiased), ranks = rank-histogram counts (m + 1 bins)
 * Rows from different shards merge by union; `finalise` sums them in sorted
 * order, so any sharding gives bit-identical scores. Aggregates over initial times:
 *   RMSE = √mean(mse)
 *   ACC (earth2mip, uncentred) = mean(xy) / √(mean(xx)·mean(yy))
 *   ACC (centred, per sample; WMO/ECMWF) = mean(accc)
 *   spread = √mean(evar), ensemble-mean RMSE = √mean(emse)
 *   spread–skill ratio = √((m+1)/m) · spread / ensemble-mean RMSE (Fortin et al.
 *   2014: 1 for a statistically consistent ensemble of m members)
 *   rank histogram = the summed counts, one per bin
 * For an ensemble the deterministic scores (rmse, acc…) are those of the ensemble mean.
 */
import { NunatakError } from '../../core/errors.js';
import { fairCrps, observationRank, standardCrps } from './crps.js';

export interface ScoreRow {
  init: string;
  lead: number;
  channel: string;
  mse: number;
  xx: number;
  yy: number;
  xy: number;
  accc: number;
  cmse: number;
  crps?: number;
  crpss?: number;
  emse?: number;
  evar?: number;
  ranks?: number[];
}

/** Scores per lead (rows) and channel (columns). NaN where nothing was accumulated. */
export interface Scores {
  leads: number[];
  channels: string[];
  /** Number of initial times per [lead][channel]. */
  n: number[][];
  rmse: number[][];
  acc_uncentred: number[][];
  acc_centred: number[][];
  rmse_climatology: number[][];
  /** Fair CRPS (unbiased for the members' parent distribution). */
  crps_fair?: number[][];
  /** Standard CRPS of the members' empirical CDF. */
  crps_standard?: number[][];
  ensemble_mean_rmse?: number[][];
  spread?: number[][];
  spread_skill?: number[][];
  /** Ensemble size m (ensembles only). */
  members?: number;
  /** Rank-histogram counts [lead][channel][m + 1] (ensembles only). */
  rank_histogram?: number[][][];
}

/** The per-lead scores, each [lead][channel] (the rank histogram is separate). */
export const SCORE_NAMES = ['rmse', 'acc_uncentred', 'acc_centred', 'rmse_climatology', 'crps_fair', 'crps_standard', 'ensemble_mean_rmse', 'spread', 'spread_skill'] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

/** Σ_j w_j Σ_i … helpers over an [ny, nx] field with row weights. */
function wsum(w: Float64Array, nx: number, f: (p: number) => number): number {
  let s = 0;
  for (let j = 0; j < w.length; j++) {
    let r = 0;
    for (let i = 0; i < nx; i++) r += f(j * nx + i);
    s += w[j] * r;
  }
  return s;
}

export class ScoreAccumulator {
  private rows = new Map<string, ScoreRow>();
  private readonly wtot: number;

  /** `rowW`: one area weight per grid row (see rowWeights); fields are [ny, nx] C order. */
  constructor(
    private readonly rowW: Float64Array,
    private readonly nx: number,
  ) {
    this.wtot = rowW.reduce((a, b) => a + b, 0) * nx;
    if (!(this.wtot > 0)) throw new NunatakError('INPUT', 'scoring: the area weights sum to 0');
  }

  private check(name: string, a: ArrayLike<number>, n: number): void {
    if (a.length !== n) throw new NunatakError('SHAPE', `scoring: ${name} has ${a.length} values, expected ${n} (ny·nx)`);
  }

  /** Deterministic forecast `f`, verification `o`, climatology `c` at one (init, lead, channel). */
  add(init: string, lead: number, channel: string, f: ArrayLike<number>, o: ArrayLike<number>, c: ArrayLike<number>): ScoreRow {
    const n = this.rowW.length * this.nx;
    this.check('forecast', f, n);
    this.check('verification', o, n);
    this.check('climatology', c, n);
    const W = this.wtot;
    const w = this.rowW;
    const nx = this.nx;
    const mse = wsum(w, nx, (p) => (f[p] - o[p]) ** 2) / W;
    const xx = wsum(w, nx, (p) => (o[p] - c[p]) ** 2) / W;
    const yy = wsum(w, nx, (p) => (f[p] - c[p]) ** 2) / W;
    const xy = wsum(w, nx, (p) => (f[p] - c[p]) * (o[p] - c[p])) / W;
    const fm = wsum(w, nx, (p) => f[p] - c[p]) / W;
    const om = wsum(w, nx, (p) => o[p] - c[p]) / W;
    const cxy = wsum(w, nx, (p) => (f[p] - c[p] - fm) * (o[p] - c[p] - om));
    const cxx = wsum(w, nx, (p) => (f[p] - c[p] - fm) ** 2);
    const cyy = wsum(w, nx, (p) => (o[p] - c[p] - om) ** 2);
    const accc = cxy / Math.sqrt(cxx * cyy);
    const cmse = wsum(w, nx, (p) => (c[p] - o[p]) ** 2) / W;
    const row: ScoreRow = { init, lead, channel, mse, xx, yy, xy, accc, cmse };
    this.rows.set(`${init}|${lead}|${channel}`, row);
    return row;
  }

  /** Ensemble `members` [m, ny, nx]: the deterministic scores of the ensemble mean plus CRPS and spread. */
  addEnsemble(init: string, lead: number, channel: string, members: ArrayLike<number>, m: number, o: ArrayLike<number>, c: ArrayLike<number>): ScoreRow {
    const n = this.rowW.length * this.nx;
    this.check('ensemble', members, m * n);
    const mean = new Float64Array(n);
    const vars = new Float64Array(n);
    const crps = new Float64Array(n);
    const crpss = new Float64Array(n);
    const ranks = new Array<number>(m + 1).fill(0);
    const vals = new Float64Array(m);
    const buf = new Float64Array(m);
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += vals[k] = members[k * n + p];
      const mu = s / m;
      let v = 0;
      for (let k = 0; k < m; k++) v += (vals[k] - mu) ** 2;
      mean[p] = mu;
      vars[p] = m > 1 ? v / (m - 1) : 0;
      crps[p] = m > 1 ? fairCrps(vals, o[p], buf) : Math.abs(vals[0] - o[p]);
      crpss[p] = standardCrps(vals, o[p], buf);
      ranks[observationRank(vals, o[p])]++;
    }
    const row = this.add(init, lead, channel, mean, o, c);
    row.emse = row.mse;
    row.evar = wsum(this.rowW, this.nx, (p) => vars[p]) / this.wtot;
    row.crps = wsum(this.rowW, this.nx, (p) => crps[p]) / this.wtot;
    row.crpss = wsum(this.rowW, this.nx, (p) => crpss[p]) / this.wtot;
    row.ranks = ranks;
    return row;
  }

  /** Add another shard's rows (a row for the same key must not be in both). */
  merge(other: ScoreAccumulator | ScoreRow[]): this {
    for (const r of Array.isArray(other) ? other : other.toRows()) {
      const k = `${r.init}|${r.lead}|${r.channel}`;
      if (this.rows.has(k)) throw new NunatakError('INPUT', `scoring: shards overlap at init ${r.init}, lead ${r.lead}, channel ${r.channel}`);
      this.rows.set(k, { ...r });
    }
    return this;
  }

  /** The rows (JSON-serialisable), sorted. */
  toRows(): ScoreRow[] {
    return [...this.rows.values()].sort((a, b) => a.lead - b.lead || a.channel.localeCompare(b.channel) || a.init.localeCompare(b.init));
  }

  /** Aggregate over initial times, per lead and channel (channels in first-seen order unless given). */
  finalise(channels?: string[]): Scores {
    const rows = this.toRows();
    const leads = [...new Set(rows.map((r) => r.lead))].sort((a, b) => a - b);
    const chans = channels ?? [...new Set([...this.rows.values()].map((r) => r.channel))];
    const ens = rows.some((r) => r.crps !== undefined);
    const mk = () => leads.map(() => chans.map(() => NaN));
    const s: Scores = { leads, channels: chans, n: leads.map(() => chans.map(() => 0)), rmse: mk(), acc_uncentred: mk(), acc_centred: mk(), rmse_climatology: mk() };
    const m = ens ? Math.max(...rows.map((r) => (r.ranks ? r.ranks.length - 1 : 0))) : 0;
    if (ens) Object.assign(s, { crps_fair: mk(), crps_standard: mk(), ensemble_mean_rmse: mk(), spread: mk(), spread_skill: mk(), members: m, rank_histogram: leads.map(() => chans.map(() => new Array<number>(m + 1).fill(0))) });
    const groups = new Map<string, ScoreRow[]>();
    for (const r of rows) {
      const k = `${r.lead}|${r.channel}`;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(r);
    }
    leads.forEach((lead, li) =>
      chans.forEach((ch, ci) => {
        const g = groups.get(`${lead}|${ch}`);
        if (!g) return;
        const mean = (f: (r: ScoreRow) => number) => g.reduce((a, r) => a + f(r), 0) / g.length;
        s.n[li][ci] = g.length;
        s.rmse[li][ci] = Math.sqrt(mean((r) => r.mse));
        s.acc_uncentred[li][ci] = mean((r) => r.xy) / Math.sqrt(mean((r) => r.xx) * mean((r) => r.yy));
        s.acc_centred[li][ci] = mean((r) => r.accc);
        s.rmse_climatology[li][ci] = Math.sqrt(mean((r) => r.cmse));
        if (ens && g.every((r) => r.crps !== undefined)) {
          s.crps_fair![li][ci] = mean((r) => r.crps!);
          s.crps_standard![li][ci] = mean((r) => r.crpss ?? NaN);
          s.ensemble_mean_rmse![li][ci] = Math.sqrt(mean((r) => r.emse!));
          s.spread![li][ci] = Math.sqrt(mean((r) => r.evar!));
          s.spread_skill![li][ci] = (Math.sqrt((m + 1) / m) * s.spread![li][ci]) / s.ensemble_mean_rmse![li][ci];
          const h = s.rank_histogram![li][ci];
          for (const r of g) {
            if (r.ranks?.length !== m + 1) throw new NunatakError('INPUT', `scoring: ensemble sizes differ between initial times at lead ${lead}, channel ${ch}`);
            r.ranks.forEach((v, b) => (h[b] += v));
          }
        }
      }),
    );
    return s;
  }
}
