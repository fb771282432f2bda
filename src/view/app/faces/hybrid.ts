/** Hybrid face: observed vs simulated hydrograph of a chosen basin (streamflow.csv) and the per-basin metrics table (metrics.json). */
import type { HybridFace, TableBody } from '../../face-protocol.js';
import { getJson, idPath } from '../api.js';
import { el, fmt, linePlot, panel, record, select } from './panels.js';
import { table } from './panels.js';
import type uPlot from 'uplot';

export async function showHybrid(host: HTMLElement, face: HybridFace): Promise<void> {
  const t = await getJson<TableBody>(`/api/table/${idPath(face.streamflow)}`);
  const col = (name: string) => t.values[t.columns.indexOf(name)];
  // dates → seconds since 1970 for uPlot's time axis
  const x = (col('date') as string[]).map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const p = panel(host, 'hydrograph', `${face.label}: hydrograph (mm/d)`);
  const plotHost = el('div');
  let plot: uPlot | undefined;
  const draw = (b: string) => {
    plot?.destroy();
    plot = linePlot(plotHost, 'hydrograph', { x, xLabel: 'date', yLabel: 'streamflow (mm/d)', time: true, series: [{ label: `${b} observed`, y: col(`${b}_obs`) as Array<number | null> }, { label: `${b} simulated`, y: col(`${b}_sim`) as Array<number | null> }] });
    record.draws++;
  };
  select(p, 'basin', face.basins, draw);
  p.append(plotHost);
  draw(face.basins[0]);
  if (face.metrics) {
    const m = await getJson<Record<string, Record<string, number | null>>>(`/api/json/${idPath(face.metrics)}`);
    const basins = Object.keys(m);
    const keys = [...new Set(basins.flatMap((b) => Object.keys(m[b])))];
    const mp = panel(host, 'metrics', 'metrics per basin (metrics.json, test period)');
    table(mp, 'metrics', ['basin', ...keys], basins.map((b) => [b, ...keys.map((k) => (typeof m[b][k] === 'number' ? fmt(m[b][k]) : String(m[b][k] ?? '')))]));
    record.draws++;
  }
}
