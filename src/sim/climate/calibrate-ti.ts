/**
 * Calibration of the temperature-index model on glacier-wide annual balances
 * over a fixed (observed) glacier geometry. The model is linear in the melt
 * factor and the precipitation factor once the temperature bias is fixed:
 *   B_y(tb) = prcp_fac · A_y(tb) − melt_f · M_y(tb)        (mm w.e., area means)
 * with A_y the solid precipitation and M_y the degree-day sum (K d) of
 * balance year y. So for each temperature bias the best melt_f (and prcp_fac
 * when fitted, with a Gaussian prior) is a small linear least-squares
 * problem, and the bias is found by a scan plus golden-section search
 * ("variable projection"). Parameters stay within OGGM's bounds (melt_f
 * 1.5–17 mm w.e. d⁻¹ K⁻¹; temp_bias within ±8 K; prcp_fac 0.1–10).
 */
import { NunatakError } from '../../core/errors.js';
import { smbTiWasm } from '../physics/smb-ti-wasm.js';
import { checkTiParams, type TiParams } from '../physics/smb-ti.js';
import { balanceYears, climateOf, type MonthlyClimate } from './monthly-climate.js';

/** What the calibration fits against. */
export interface TiCalibrationInput {
  climate: MonthlyClimate;
  /** Surface elevation (m) of the glacier cells (equal-area cells: the glacier-wide balance is their mean). */
  z: Float32Array;
  /** Observed glacier-wide balance (mm w.e. a⁻¹) by balance year. */
  observed: Map<number, number>;
  /** Calibration years [first, last] (inclusive). */
  years: [number, number];
  /** Parameters held fixed; prcpFac is the starting / fixed value. tempBias and meltF are ignored. */
  fixed: TiParams;
  /** First month of the balance year (10 = October, WGMS northern hemisphere). */
  hydroMonth: number;
  /** Also fit prcp_fac, with a Gaussian prior N(fixed.prcpFac, prcpFacSd²) on it (default: hold it fixed). */
  fitPrcpFac?: boolean;
  /** Prior standard deviation of prcp_fac (1) when fitted; default 0.5. */
  prcpFacSd?: number;
  /** Bounds: melt_f (mm w.e. d⁻¹ K⁻¹), temp_bias (K), prcp_fac. */
  meltFBounds?: [number, number];
  tempBiasBounds?: [number, number];
  prcpFacBounds?: [number, number];
}

/** Goodness of fit of modelled vs observed (mm w.e. a⁻¹). */
export interface FitStats {
  n: number;
  /** Root-mean-square difference (mm w.e. a⁻¹). */
  rmse: number;
  /** Mean(modelled − observed) (mm w.e. a⁻¹). */
  bias: number;
  /** Pearson correlation (1). */
  r: number;
}

export interface TiCalibration {
  params: TiParams;
  /** Fit over the calibration years. */
  fit: FitStats;
  /** Years used (observed and covered by the climate). */
  years: number[];
  /** Model evaluations (temperature biases tried). */
  evaluations: number;
}

/** Pearson r, RMSE and mean bias of paired series (NaN pairs skipped). */
export function fitStats(mod: ArrayLike<number>, obs: ArrayLike<number>): FitStats {
  let n = 0;
  let sm = 0;
  let so = 0;
  for (let k = 0; k < mod.length; k++) if (Number.isFinite(mod[k]) && Number.isFinite(obs[k])) {
    n++;
    sm += mod[k];
    so += obs[k];
  }
  if (n === 0) return { n: 0, rmse: NaN, bias: NaN, r: NaN };
  const mm = sm / n;
  const mo = so / n;
  let sse = 0;
  let cov = 0;
  let vm = 0;
  let vo = 0;
  for (let k = 0; k < mod.length; k++) if (Number.isFinite(mod[k]) && Number.isFinite(obs[k])) {
    sse += (mod[k] - obs[k]) ** 2;
    cov += (mod[k] - mm) * (obs[k] - mo);
    vm += (mod[k] - mm) ** 2;
    vo += (obs[k] - mo) ** 2;
  }
  return { n, rmse: Math.sqrt(sse / n), bias: mm - mo, r: cov / Math.sqrt(vm * vo) };
}

/**
 * Area-mean solid precipitation A (mm w.e., prcp_fac = 1) and degree-day sum
 * M (K d, melt_f = 1 mm w.e. d⁻¹ K⁻¹) of each balance year, for the given
 * temperature bias: B = prcp_fac · A − melt_f · M. Two passes of the fused kernel.
 */
export function balanceComponents(climate: MonthlyClimate, z: Float32Array, p: TiParams, years: number[], hydroMonth: number): { acc: Float64Array; melt: Float64Array } {
  const acc = new Float64Array(years.length);
  const melt = new Float64Array(years.length);
  const out = new Float32Array(z.length);
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
  years.forEach((y, k) => {
    const c = climateOf(climate, y, hydroMonth);
    const block = { temp: c.temp, prcp: c.prcp, refHgt: climate.refHgt };
    smbTiWasm(z, block, { ...p, prcpFac: 1, meltF: 0 }, out, undefined, undefined, 1);
    acc[k] = mean(out);
    smbTiWasm(z, block, { ...p, prcpFac: 0, meltF: 1 }, out, undefined, undefined, 1);
    melt[k] = -mean(out);
  });
  return { acc, melt };
}

/** Glacier-wide balance (mm w.e. a⁻¹) of each year with parameters p. */
export function glacierWideBalance(climate: MonthlyClimate, z: Float32Array, p: TiParams, years: number[], hydroMonth: number): Float64Array {
  const { acc, melt } = balanceComponents(climate, z, p, years, hydroMonth);
  return acc.map((a, k) => p.prcpFac * a - p.meltF * melt[k]);
}

const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));

/** Fits melt_f, temp_bias (and prcp_fac when asked) to the observed annual balances. */
export function calibrateTI(inp: TiCalibrationInput): TiCalibration {
  const { climate, z, observed, fixed, hydroMonth } = inp;
  checkTiParams({ ...fixed, meltF: 1, tempBias: 0 }, 'calibration');
  if (z.length === 0) throw new NunatakError('INPUT', 'calibration: the glacier has no cells (empty outline on the grid)', { hint: 'check the outline and the grid spacing' });
  const [c0, c1] = balanceYears(climate, hydroMonth);
  const years: number[] = [];
  for (let y = inp.years[0]; y <= inp.years[1]; y++) if (observed.has(y) && y >= c0 && y <= c1) years.push(y);
  if (years.length < 3) {
    const obsYears = [...observed.keys()].sort((a, b) => a - b);
    throw new NunatakError('INPUT', `calibration: only ${years.length} year(s) of ${inp.years[0]}–${inp.years[1]} have both an observed balance and climate (observations ${obsYears.length ? `${obsYears[0]}–${obsYears.at(-1)}` : 'none'}, climate ${c0}–${c1})`, {
      hint: 'choose calibration years inside both the observation and the climate record (at least 3)',
    });
  }
  const obs = Float64Array.from(years, (y) => observed.get(y)!);
  const mfB = inp.meltFBounds ?? [1.5, 17];
  const tbB = inp.tempBiasBounds ?? [-8, 8];
  const pfB = inp.prcpFacBounds ?? [0.1, 10];
  const sd = inp.prcpFacSd ?? 0.5;
  const pf0 = fixed.prcpFac;
  let evaluations = 0;
  // best (melt_f, prcp_fac) and the cost for a temperature bias
  const solve = (tb: number): { cost: number; meltF: number; prcpFac: number } => {
    evaluations++;
    const { acc, melt } = balanceComponents(climate, z, { ...fixed, tempBias: tb }, years, hydroMonth);
    let pf = pf0;
    let mf: number;
    // normal equations of Σ (pf·A − mf·M − obs)² (+ ((pf − pf0)/sd)² · σ² scale)
    let saa = 0;
    let smm = 0;
    let sam = 0;
    let sao = 0;
    let smo = 0;
    for (let k = 0; k < years.length; k++) {
      saa += acc[k] * acc[k];
      smm += melt[k] * melt[k];
      sam += acc[k] * melt[k];
      sao += acc[k] * obs[k];
      smo += melt[k] * obs[k];
    }
    const mfGiven = (p: number) => clamp(smm > 0 ? (p * sam - smo) / smm : mfB[0], mfB);
    if (inp.fitPrcpFac) {
      // prior weight in the units of the squared misfit: (observation spread)² / sd²
      const lam = (obs.reduce((s, v) => s + v * v, 0) / years.length) / (sd * sd);
      const a11 = saa + lam;
      const det = a11 * smm - sam * sam;
      pf = clamp(det !== 0 ? ((sao + lam * pf0) * smm - sam * smo) / det : pf0, pfB);
      mf = mfGiven(pf);
      pf = clamp((mf * sam + sao + lam * pf0) / a11, pfB); // re-solve after a clamp of mf
    } else mf = mfGiven(pf);
    let cost = 0;
    for (let k = 0; k < years.length; k++) cost += (pf * acc[k] - mf * melt[k] - obs[k]) ** 2;
    if (inp.fitPrcpFac) cost += ((obs.reduce((s, v) => s + v * v, 0) / years.length) / (sd * sd)) * (pf - pf0) ** 2;
    return { cost, meltF: mf, prcpFac: pf };
  };
  // coarse scan, then golden section in the best bracket
  const step = 0.25;
  let best = tbB[0];
  let bestCost = Infinity;
  for (let tb = tbB[0]; tb <= tbB[1] + 1e-9; tb += step) {
    const c = solve(tb).cost;
    if (c < bestCost) {
      bestCost = c;
      best = tb;
    }
  }
  let a = Math.max(tbB[0], best - step);
  let b = Math.min(tbB[1], best + step);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = solve(x1).cost;
  let f2 = solve(x2).cost;
  while (b - a > 1e-5) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = solve(x1).cost;
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = solve(x2).cost;
    }
  }
  const tb = (a + b) / 2;
  const s = solve(tb);
  const params: TiParams = { ...fixed, tempBias: tb, meltF: s.meltF, prcpFac: s.prcpFac };
  const mod = glacierWideBalance(climate, z, params, years, hydroMonth);
  return { params, fit: fitStats(mod, obs), years, evaluations };
}
