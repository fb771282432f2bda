/**
 * The glacier-wide annual balance of a run against observations: smb_ti
 * records each balance year as applied (mean SMB over the cells with ice
 * when the year's SMB was computed, mm w.e.); at every save this rewrites
 * `<file>.csv` (`year,modelled,observed`, mm w.e. a⁻¹) and `<file>.png`
 * with r, RMSE and bias over the years with both values.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { renderChart } from '../../../io/plot/index.js';
import { fitStats } from '../../climate/calibrate-ti.js';
import { readWgmsAnnual } from '../../climate/wgms.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import type { SmbTiShared } from '../processes/smb_ti.js';

interface MassBalanceParams {
  file: string;
  observed: string | null;
  years: number[] | null;
}

export const fields = { reads: ['smb', 'thk'] };

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<MassBalanceParams>(cfg, 'outputs', 'mass_balance');
  const procs = (cfg.processes ?? {}) as Record<string, unknown>;
  const clim = procs.clim as { period?: string } | undefined;
  if (!state.extra.smb_ti || clim?.period === 'month') {
    throw new NunatakError('CONFIG', 'the mass_balance output needs the smb_ti process with clim.period: year (it records the glacier-wide balance of every balance year)', {
      hint: 'select processes [clim, smb_ti, …] and keep processes.clim.period: year',
    });
  }
  if (p.years) {
    const t = procs.time as { start: number; end: number };
    const [y0, y1] = [Math.floor(t.start), Math.ceil(t.end) - 1];
    if (!(p.years.length === 2 && p.years[0] <= p.years[1] && p.years[0] >= y0 && p.years[1] <= y1)) {
      throw new NunatakError('CONFIG', `outputs.mass_balance.years = [${p.years.join(', ')}]: expected [first, last] within the run's balance years ${y0}–${y1} (processes.time ${t.start}–${t.end})`);
    }
  }
  state.extra.mass_balance = { observed: p.observed ? readWgmsAnnual(resolve(state.baseDir, p.observed)) : new Map<number, number>() };
}

export function run(cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  const p = params<MassBalanceParams>(cfg, 'outputs', 'mass_balance');
  const { observed } = state.extra.mass_balance as { observed: Map<number, number> };
  const recs = (state.extra.smb_ti as SmbTiShared).balance.filter((r) => !p.years || (r.year >= p.years[0] && r.year <= p.years[1]));
  if (recs.length === 0) return;
  const years = recs.map((r) => r.year);
  const mod = recs.map((r) => r.glacierWide);
  const obs = years.map((y) => observed.get(y) ?? NaN);
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '');
  writeFileSync(join(state.outDir, `${p.file}.csv`), 'year,modelled,observed\n' + years.map((y, k) => `${y},${fmt(mod[k])},${fmt(obs[k])}`).join('\n') + '\n');
  const both = years.map((_, k) => k).filter((k) => Number.isFinite(mod[k]) && Number.isFinite(obs[k]));
  const s = both.length > 1 ? fitStats(both.map((k) => mod[k]), both.map((k) => obs[k])) : undefined;
  const series = [{ name: 'modelled (glacier-wide, evolving glacier)', x: years, y: mod, markers: true }];
  if (both.length > 0) series.unshift({ name: 'observed (WGMS)', x: years, y: obs, markers: true });
  writeFileSync(join(state.outDir, `${p.file}.png`), renderChart({
    title: s ? `Annual balance: r ${s.r.toFixed(2)}, RMSE ${s.rmse.toFixed(0)}, bias ${s.bias >= 0 ? '+' : ''}${s.bias.toFixed(0)} mm w.e. (n = ${s.n})` : 'Annual balance',
    xLabel: 'balance year', xUnits: 'a', yLabel: 'glacier-wide balance', yUnits: 'mm w.e. a⁻¹', series,
  }).png);
}

const module: OutputModule = { initialize, run, fields };
export default module;
