/**
 * Sim run face: a thickness / velocity map over the hillshaded bed with the
 * ice outline (icemask, else thk > 0), any served shapefile outline (when the
 * run has a grid mapping; with a toggle) and a time slider; volume, area and the
 * mass budget per save from output_ts.nc; module timings from timings.csv.
 */
import type { SimFace } from '../../face-protocol.js';
import type { FileMeta, VarMeta } from '../../protocol.js';
import { getJson, getSlab, idPath, type SlabData } from '../api.js';
import { coordLabel } from '../sliders.js';
import { hillshade } from './hillshade.js';
import { outlinesFor, type Rings } from '../outline.js';
import { el, linePlot, MapPanel, panel, record, select, slider, table } from './panels.js';

const slabOf = (id: string, v: string, at: number[]) => getSlab(`/api/slab/${idPath(id)}?${new URLSearchParams({ var: v, at: at.join(',') })}`);

function northUp(meta: FileMeta, v: VarMeta): boolean {
  const y = v.map ? meta.coords[v.dims[v.map.y]]?.values : undefined;
  return !!y && y.length > 1 && y[y.length - 1] > y[0];
}

function cellSize(meta: FileMeta, v: VarMeta, axis: 'x' | 'y', stride: number): number {
  const c = meta.coords[v.dims[v.map![axis]]]?.values;
  return c && c.length > 1 ? Math.abs(c[1] - c[0]) * stride : 1;
}

export async function showSim(host: HTMLElement, face: SimFace): Promise<void> {
  const meta = await getJson<FileMeta>(`/api/meta/${idPath(face.output)}`);
  const byName = (n: string) => meta.vars.find((v) => v.name === n)!;
  const p = panel(host, 'map', `${face.label}: maps over the bed`);
  const controls = document.createElement('div');
  p.append(controls);
  const map = new MapPanel(p);
  let name = face.maps[0];
  let t = 0;
  // served shapefiles in the run's CRS (none without a grid mapping), behind a toggle
  const rings = new Map<string, Rings>();
  const toggle = el('label', '', 'faceslider');
  const onBox = Object.assign(el('input'), { type: 'checkbox', checked: true, id: 'face-outline-on' });
  toggle.append(onBox, el('span', 'outline (shapefile)'));
  toggle.hidden = true;
  controls.append(toggle);
  onBox.addEventListener('change', () => void redraw());
  const nt = byName(name).shape[0];
  const atT = (v: VarMeta) => v.dims.map((d) => (d === 'time' ? t : 0));
  const redraw = async () => {
    const v = byName(name);
    const s = await slabOf(face.output, name, atT(v));
    const [ny, nx] = s.shape;
    const up = northUp(meta, v);
    let shade: Uint8ClampedArray | undefined;
    if (face.bed) {
      const b = byName(face.bed);
      const z = await slabOf(face.output, face.bed, atT(b));
      shade = hillshade(z.data, ny, nx, cellSize(meta, v, 'x', s.stride[1]), cellSize(meta, v, 'y', s.stride[0]), up);
    }
    const mask = face.mask ? await slabOf(face.output, face.mask, atT(byName(face.mask))) : name === 'thk' ? s : await slabOf(face.output, 'thk', atT(byName('thk')));
    if (!rings.has(name)) rings.set(name, await outlinesFor(face.output, v).catch(() => []));
    const vector = onBox.checked ? rings.get(name) : undefined;
    toggle.hidden = !rings.get(name)?.length;
    const outline = Uint8Array.from(mask.data, (m: number) => (face.mask ? (m >= 0.5 ? 1 : 0) : m > 0 ? 1 : 0));
    map.draw({ v, data: s.data, ny, nx, stride: s.stride, coords: meta.coords, flipY: up, cmap: name === 'thk' ? 'viridis' : 'magma', vmin: 0, vmax: s.max > 0 ? s.max : 1, shade: name === 'topg' ? undefined : shade, outline, vector });
    record.outlineVertices = map.vectorDrawn;
    record.draws++;
  };
  select(controls, 'variable', face.maps, (v) => {
    name = v;
    void redraw();
  });
  slider(controls, 'time', nt, (k) => coordLabel('time', k, meta.coords.time), (k) => {
    t = k;
    void redraw();
  });
  await redraw();
  await showSeries(host, face);
  if (face.timings) await showTimings(host, face.timings);
}

async function showSeries(host: HTMLElement, face: SimFace): Promise<void> {
  const meta = await getJson<FileMeta>(`/api/meta/${idPath(face.ts)}`);
  const time = meta.coords.time?.values ?? [];
  for (const group of face.series) {
    const vars = group.map((n) => meta.vars.find((v) => v.name === n)!);
    const units = typeof vars[0].attrs.units === 'string' ? vars[0].attrs.units : '';
    const title = group.length > 1 ? 'mass budget per save interval' : String(vars[0].attrs.long_name ?? group[0]);
    const p = panel(host, `series-${group.join('-')}`, title);
    const slabs: SlabData[] = await Promise.all(group.map((n) => getSlab(`/api/slab/${idPath(face.ts)}?var=${encodeURIComponent(n)}&series=1`)));
    const x = time.filter((_, k) => k % slabs[0].stride[0] === 0);
    linePlot(p, `series-${group.join('-')}`, { x, xLabel: `time (${meta.coords.time?.units ?? 'model years'})`, yLabel: units, series: group.map((n, k) => ({ label: n, y: Array.from(slabs[k].data, (v) => (Number.isFinite(v) ? v : null)) })) });
  }
  record.draws++;
}

async function showTimings(host: HTMLElement, id: string): Promise<void> {
  const t = await getJson<{ columns: string[]; values: Array<Array<number | string | null>> }>(`/api/table/${idPath(id)}`);
  const p = panel(host, 'timings', 'module timings (timings.csv, slowest first)');
  const rows = t.values[0].map((_, r) => t.values.map((col) => String(col[r] ?? '')));
  table(p, 'timings', t.columns, rows);
  record.draws++;
}
