/**
 * IGM's `clim_oggm`: monthly climate at the glacier from a NetCDF file (see
 * climate/monthly-climate.ts), one block per balance year or month, shared
 * with `smb_ti` through `state.extra.clim` (the lapse rate is applied per
 * cell inside smb_ti's fused kernel, so no 12 × ny × nx fields are built).
 * The run's years are checked against the file at initialize.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { maskCentroidLonLat } from '../../climate/location.js';
import { balanceYears, climateOf, readMonthlyClimate, type MonthlyClimate } from '../../climate/monthly-climate.js';
import type { ClimateBlock } from '../../physics/smb-ti.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface ClimParams {
  file: string | null;
  lon: number | null;
  lat: number | null;
  interp: 'nearest' | 'bilinear';
  temp_var: string;
  prcp_var: string;
  hgt_var: string;
  lapse_rate: number;
  temp_bias: number;
  prcp_fac: number;
  period: 'year' | 'month';
  hydro_month: number;
}

/** What clim hands to SMB modules (`state.extra.clim`). */
export interface ClimShared {
  series: MonthlyClimate;
  /** The current block at the reference height (raw: bias and factor not applied). */
  block: ClimateBlock;
  /** Balance year (period year) or year·12 + month − 1 (period month) of `block`; changes when a new block is loaded. */
  key: number;
  lapse: number;
  tempBias: number;
  prcpFac: number;
  /** First month of the balance year (clim.hydro_month). */
  hydroMonth: number;
}

/** Balance years a run over [start, end) needs (updates happen at t < end). */
export function yearsNeeded(start: number, end: number): [number, number] {
  return [Math.floor(start), Math.max(Math.floor(start), Math.ceil(end) - 1)];
}

export const fields = { optional: ['icemask'] };

export async function initialize(cfg: SimConfig, state: SimState): Promise<void> {
  const p = params<ClimParams>(cfg, 'processes', 'clim');
  if (!p.file) throw new NunatakError('CONFIG', 'processes.clim.file is not set', { hint: 'give a NetCDF file with monthly temp, prcp and hgt (e.g. HISTALP)' });
  const file = resolve(state.baseDir, p.file);
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `processes.clim.file: ${file} does not exist`);
  if (!(Number.isInteger(p.hydro_month) && p.hydro_month >= 1 && p.hydro_month <= 12)) {
    throw new NunatakError('CONFIG', `processes.clim.hydro_month = ${p.hydro_month}: expected a month 1–12`);
  }
  const here = p.lon === null || p.lat === null ? maskCentroidLonLat(state.grid, state.fields.icemask?.data, 'processes.clim (grid CRS for the glacier location; or set clim.lon / clim.lat)') : [p.lon, p.lat];
  const series = await readMonthlyClimate({ file, lon: p.lon ?? here[0], lat: p.lat ?? here[1], interp: p.interp, tempVar: p.temp_var, prcpVar: p.prcp_var, hgtVar: p.hgt_var });
  const time = (cfg.processes as Record<string, unknown> | undefined)?.time as { start?: number; end?: number } | undefined;
  if (time && typeof time.start === 'number' && typeof time.end === 'number') {
    const [y0, y1] = yearsNeeded(time.start, time.end);
    const [c0, c1] = balanceYears(series, p.hydro_month);
    if (y0 < c0 || y1 > c1) {
      throw new NunatakError('INPUT', `climate file ${file} covers balance years ${c0}–${c1}, but the run (processes.time ${time.start}–${time.end}) needs ${y0}–${y1}: years ${[y0 < c0 ? `${y0}–${Math.min(y1, c0 - 1)}` : '', y1 > c1 ? `${Math.max(y0, c1 + 1)}–${y1}` : ''].filter(Boolean).join(' and ')} are missing`, {
        hint: 'shorten the run to the years the file covers, or give a longer climate file',
      });
    }
  }
  state.extra.clim = { series, block: { temp: [], prcp: [], refHgt: series.refHgt }, key: NaN, lapse: p.lapse_rate, tempBias: p.temp_bias, prcpFac: p.prcp_fac, hydroMonth: p.hydro_month } satisfies ClimShared;
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = params<ClimParams>(cfg, 'processes', 'clim');
  const c = state.extra.clim as ClimShared;
  // a small tolerance: t = 1999.9999999 after many steps still means 2000
  const t = state.t + 1e-9;
  const key = p.period === 'year' ? Math.floor(t) : Math.floor(t * 12);
  if (key === c.key) return;
  const b = p.period === 'year' ? climateOf(c.series, key, p.hydro_month) : climateOf(c.series, Math.floor(key / 12), p.hydro_month, (key % 12) + 1);
  c.block = { temp: b.temp, prcp: b.prcp, refHgt: c.series.refHgt };
  c.key = key;
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
