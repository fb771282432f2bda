/**
 * Glacier length and area at every save. Length (m): the distance from the
 * head — the highest ice cell inside icemask at the first save, fixed for
 * the run — to the farthest ice cell (thicker than min_thk), measured along
 * the shortest 8-neighbour path through cells inside icemask (the outline) or
 * covered by ice (a tongue beyond the outline, e.g. after a spin-up); steps
 * dx, dy or their diagonal. The path follows a curved tongue where a straight
 * distance would not, and thin ice upstream does not cut it. Writes `<file>.csv`
 * (`year,area_km2,length_m,dl_modelled,dl_observed`: changes since the first
 * save, m) and charts of the length change and the area.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { renderChart } from '../../../io/plot/index.js';
import { readLengthChanges } from '../../climate/wgms.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import { glacierLength, headCell } from '../../spinup/glacier-length.js';

interface LengthAreaParams {
  file: string;
  observed: string | null;
  min_thk: number;
}

interface Series {
  observed: Map<number, number>;
  /** Head cell (highest ice inside the mask at the first save). */
  head?: number;
  t: number[];
  area: number[];
  length: number[];
}

export const fields = { reads: ['thk', 'usurf', 'icemask'] };

export { pathDistance } from '../../spinup/glacier-length.js';

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<LengthAreaParams>(cfg, 'outputs', 'length_area');
  if (!(p.min_thk >= 0)) throw new NunatakError('CONFIG', `outputs.length_area.min_thk = ${p.min_thk}: expected ≥ 0 m`);
  const observed = p.observed ? readLengthChanges(resolve(state.baseDir, p.observed)) : new Map<number, number>();
  state.extra.length_area = { observed, t: [], area: [], length: [] } satisfies Series;
}

export function run(cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  const p = params<LengthAreaParams>(cfg, 'outputs', 'length_area');
  const s = state.extra.length_area as Series;
  const { nx, ny } = state.grid;
  const dx = Math.abs(state.grid.dx);
  const dy = Math.abs(state.grid.dy);
  const thk = state.get('thk').data;
  const ice = Uint8Array.from(thk, (h) => (h > p.min_thk ? 1 : 0));
  const mask = state.get('icemask').data;
  if (s.head === undefined) {
    s.head = headCell(thk, state.get('usurf').data, mask, p.min_thk);
    if (s.head < 0) throw new NunatakError('INPUT', `outputs.length_area: no ice thicker than min_thk = ${p.min_thk} m inside icemask at the first save (t = ${state.t} a)`, { hint: 'start from a glacier (e.g. after optimize) or lower min_thk' });
  }
  // paths through the outline and through ice beyond it (a spun-up tongue longer than today's outline)
  const length = glacierLength({ nx, ny, dx, dy }, thk, mask, s.head, p.min_thk);
  s.t.push(state.t);
  s.area.push((ice.reduce((a, v) => a + v, 0) * dx * dy) / 1e6);
  s.length.push(length);
  const t0 = s.t[0];
  const o0 = s.observed.get(t0);
  const dlObs = s.t.map((t) => (o0 !== undefined && s.observed.has(t) ? (s.observed.get(t) as number) - o0 : NaN));
  const dlMod = s.length.map((l) => l - s.length[0]);
  const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '');
  const rows = s.t.map((t, k) => `${t},${fmt(s.area[k], 4)},${fmt(s.length[k], 0)},${fmt(dlMod[k], 0)},${fmt(dlObs[k], 0)}`);
  writeFileSync(join(state.outDir, `${p.file}.csv`), ['year,area_km2,length_m,dl_modelled,dl_observed', ...rows].join('\n') + '\n');
  if (s.t.length < 2) return;
  const series = [{ name: 'modelled', x: s.t, y: dlMod, markers: s.t.length < 40 }];
  if (dlObs.some(Number.isFinite)) series.unshift({ name: 'observed', x: s.t, y: dlObs, markers: true });
  writeFileSync(join(state.outDir, `${p.file}.png`), renderChart({ title: `Length change since ${t0}`, xLabel: 'year', xUnits: 'a', yLabel: 'length change', yUnits: 'm', series }).png);
  writeFileSync(join(state.outDir, `${p.file}-area.png`), renderChart({ title: `Glacier area (ice > ${p.min_thk} m)`, xLabel: 'year', xUnits: 'a', yLabel: 'area', yUnits: 'km²', series: [{ name: 'modelled', x: s.t, y: s.area, markers: s.t.length < 40 }] }).png);
}

const module: OutputModule = { initialize, run, fields };
export default module;
