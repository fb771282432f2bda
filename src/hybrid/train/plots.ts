/**
 * Hydrograph PNGs (observed vs simulated streamflow per basin), drawn with the
 * shared chart renderer `io/plot`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import { renderChart, type ChartResult } from '../../io/plot/index.js';
import type { EvalResult } from './trainer.js';

/** Observed flow is black, simulated vermillion (Okabe–Ito, colour-blind safe). */
export const OBS_COLOR = '#000000';
export const SIM_COLOR = '#D55E00';

/**
 * 'YYYY-MM-DD' → days since 1970-01-01 (UTC). Invalid dates → NunatakError('INPUT').
 */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  if (!m || !Number.isFinite(t) || new Date(t).getUTCDate() !== +m[3]) {
    throw new NunatakError('INPUT', `hydrograph: date '${date}' is not a valid YYYY-MM-DD date`);
  }
  return t / 86_400_000;
}

/**
 * One hydrograph chart: observed and simulated flow (mm/d) against date.
 * renderChart has numeric x only (its tick labels would round decimal years),
 * so x is days since the first date, named in the axis label.
 * NaN values (missing observations) break the line.
 */
export function hydrographChart(title: string, dates: string[], obs: ArrayLike<number>, sim: ArrayLike<number>, simLabel = 'simulated', width = 960, height = 400): ChartResult {
  if (dates.length === 0) throw new NunatakError('INPUT', `hydrograph '${title}': no dates`);
  const d0 = dayNumber(dates[0]);
  const x = Float64Array.from(dates, (d) => dayNumber(d) - d0);
  return renderChart({
    title,
    xLabel: `date: days since ${dates[0]}`,
    xUnits: 'd',
    yLabel: 'streamflow',
    yUnits: 'mm d⁻¹',
    width,
    height,
    series: [
      { name: 'observed', x, y: obs, color: OBS_COLOR },
      { name: simLabel, x, y: sim, color: SIM_COLOR },
    ],
  });
}

/** Title line: basin id, plus NSE and KGE when metrics are known. */
export function hydrographTitle(id: string, m?: { nse: number; kge: number }, prefix = ''): string {
  const head = prefix ? `${prefix}, basin ${id}` : `basin ${id}`;
  return m ? `${head}: NSE ${m.nse.toFixed(2)}, KGE ${m.kge.toFixed(2)}` : head;
}

/** Write `<r.dir>/<basin>.png` hydrographs for an evaluation result; returns the file paths. */
export function writePlots(r: EvalResult, simLabel = 'simulated', titlePrefix = ''): string[] {
  const nb = r.ids.length, nt = r.dates.length;
  return r.ids.map((id, b) => {
    const sim = Float32Array.from({ length: nt }, (_, t) => r.sim[t * nb + b]);
    const obs = Float32Array.from({ length: nt }, (_, t) => r.obs[t * nb + b]);
    const file = join(r.dir, `${id}.png`);
    writeFileSync(file, hydrographChart(hydrographTitle(id, r.metrics?.[id], titlePrefix), r.dates, obs, sim, simLabel).png);
    return file;
  });
}
