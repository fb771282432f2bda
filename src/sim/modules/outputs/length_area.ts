/**
 * Glacier length and area at every save. Length (m): the distance from the
 * head — the highest ice cell inside icemask at the first save, fixed for
 * the run — to the farthest ice cell (thicker than min_thk), measured along
 * the shortest 8-neighbour path inside icemask (the outline; steps dx, dy or
 * their diagonal). The path follows a curved tongue where a straight
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

interface LengthAreaParams {
  file: string;
  observed: string | null;
  min_thk: number;
}

interface Series {
  observed: Map<number, number>;
  /** Path distance (m) from the head inside the mask; set at the first save. */
  dist?: Float64Array;
  t: number[];
  area: number[];
  length: number[];
}

export const fields = { reads: ['thk', 'usurf', 'icemask'] };

/**
 * Shortest 8-connected path (m) from cell `head` to every cell of `pass`
 * (Dijkstra on nx × ny cells of dx × dy m); Infinity where unreachable.
 */
export function pathDistance(pass: Uint8Array, nx: number, ny: number, dx: number, dy: number, head: number): Float64Array {
  const dist = new Float64Array(pass.length).fill(Infinity);
  if (!pass[head]) return dist;
  const done = new Uint8Array(pass.length);
  dist[head] = 0;
  // binary heap of [distance, cell]
  const heap: Array<[number, number]> = [[0, head]];
  const push = (e: [number, number]) => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0; ) {
      const j = (i - 1) >> 1;
      if (heap[j][0] <= heap[i][0]) break;
      [heap[i], heap[j]] = [heap[j], heap[i]];
      i = j;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0];
    const last = heap.pop() as [number, number];
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  const diag = Math.hypot(dx, dy);
  while (heap.length > 0) {
    const [d, k] = pop();
    if (done[k]) continue;
    done[k] = 1;
    const i = k % nx;
    const j = (k - i) / nx;
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const a = i + di;
        const b = j + dj;
        if ((di === 0 && dj === 0) || a < 0 || b < 0 || a >= nx || b >= ny) continue;
        const n = b * nx + a;
        if (!pass[n] || done[n]) continue;
        const nd = d + (di !== 0 && dj !== 0 ? diag : di !== 0 ? dx : dy);
        if (nd < dist[n]) {
          dist[n] = nd;
          push([nd, n]);
        }
      }
    }
  }
  return dist;
}

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
  const mask = Uint8Array.from(state.get('icemask').data, (m) => (m > 0.5 ? 1 : 0));
  if (!s.dist) {
    const z = state.get('usurf').data;
    let head = -1;
    for (let k = 0; k < ice.length; k++) if (ice[k] && mask[k] && (head < 0 || z[k] > z[head])) head = k;
    if (head < 0) throw new NunatakError('INPUT', `outputs.length_area: no ice thicker than min_thk = ${p.min_thk} m inside icemask at the first save (t = ${state.t} a)`, { hint: 'start from a glacier (e.g. after optimize) or lower min_thk' });
    s.dist = pathDistance(mask, nx, ny, dx, dy, head);
  }
  let length = 0;
  for (let k = 0; k < ice.length; k++) if (ice[k] && Number.isFinite(s.dist[k])) length = Math.max(length, s.dist[k]);
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
