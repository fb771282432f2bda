/**
 * Volume and area vs time: at every save appends (t, volume km³, area km²)
 * and rewrites `summary.csv`, `summary-volume.png` and `summary-area.png`
 * (outputs have no finalize, so the files are complete after each save).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from '../../../io/plot/index.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

interface Series {
  t: number[];
  volume: number[];
  area: number[];
}

export const fields = { reads: ['thk'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  state.extra.summary = { t: [], volume: [], area: [] } satisfies Series;
}

export function run(cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  const { file } = params<{ file: string }>(cfg, 'outputs', 'summary');
  const s = state.extra.summary as Series;
  const sim = cfg.sim as { area_min_thk?: number } | undefined;
  s.t.push(state.t);
  s.volume.push(state.volumeKm3());
  s.area.push(state.areaKm2(sim?.area_min_thk ?? 1));
  const rows = s.t.map((t, k) => `${t},${s.volume[k]},${s.area[k]}`);
  writeFileSync(join(state.outDir, `${file}.csv`), ['t_a,volume_km3,area_km2', ...rows].join('\n') + '\n');
  if (s.t.length < 2) return;
  const chart = (y: number[], label: string, units: string) =>
    renderChart({ title: `ice ${label}`, xLabel: 'time', xUnits: 'a', yLabel: `ice ${label}`, yUnits: units, series: [{ name: label, x: s.t, y, markers: s.t.length < 40 }] }).png;
  writeFileSync(join(state.outDir, `${file}-volume.png`), chart(s.volume, 'volume', 'km³'));
  writeFileSync(join(state.outDir, `${file}-area.png`), chart(s.area, 'area', 'km²'));
}

const module: OutputModule = { initialize, run, fields };
export default module;
