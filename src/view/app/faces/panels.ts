/**
 * Building blocks of the per-face views: a titled panel, a map panel (canvas
 * with optional hillshade underlay and ice outline overlay, colorbar labels,
 * hover readout), a multi-series line plot (uPlot) and a table. Everything a
 * panel drew is recorded on window.__view.face so browser tests can compare it
 * with the file.
 */
import uPlot from 'uplot';
import { colorAt, getColormap } from '../../../io/plot/colormap.js';
import type { CoordMeta, VarMeta } from '../../protocol.js';
import { attachHover, type HoverState } from '../hover.js';
import { strokeRings, type Rings } from '../outline.js';

/** What the face view drew, for tests: plot series and table cells per panel name; `draws` counts finished draws since the face was opened. */
export interface FaceRecord {
  kind?: string;
  draws: number;
  plots: Record<string, Array<Array<number | null>>>;
  tables: Record<string, string[][]>;
  /** Shapefile outline vertices the sim map drew last (0 when toggled off or none). */
  outlineVertices?: number;
}

export const record: FaceRecord = { draws: 0, plots: {}, tables: {} };

/** A titled section in `host`; `name` becomes data-panel for tests and styling. */
export function panel(host: HTMLElement, name: string, title: string): HTMLElement {
  const s = document.createElement('section');
  s.className = 'panel';
  s.dataset.panel = name;
  const h = document.createElement('h3');
  h.textContent = title;
  s.append(h);
  host.append(s);
  return s;
}

/** Text element helper. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', cls = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export interface MapDraw {
  v: VarMeta;
  data: Float32Array;
  ny: number;
  nx: number;
  stride: number[];
  coords: Record<string, CoordMeta>;
  /** y coordinate grows with the row index: draw bottom to top (north up). */
  flipY: boolean;
  cmap: string;
  vmin: number;
  vmax: number;
  /** Grey hillshade (0…255 per cell) shown where `data` is NaN or ≤ 0 (ice-free). */
  shade?: Uint8ClampedArray;
  /** Cells inside the outline (1) or outside (0): edges between them are drawn. */
  outline?: Uint8Array;
  /** Polygon rings in the map's CRS (served shapefiles), stroked over the map. */
  vector?: Rings;
}

/** A map canvas with an outline overlay canvas, colorbar labels and a hover readout. */
export class MapPanel {
  readonly canvas = el('canvas');
  private readonly over = el('canvas', '', 'overlay');
  private readonly cbar = el('div', '', 'cbar');
  readonly readout = el('div', '', 'readout');
  private hover?: HoverState;
  /** Vertices of `vector` placed by the last draw. */
  vectorDrawn = 0;

  /** `size`: display size (CSS px) of the longer side, in whole pixels per cell. */
  constructor(
    readonly host: HTMLElement,
    private readonly size = 420,
  ) {
    const wrap = el('div', '', 'mapbox');
    wrap.append(this.canvas, this.over);
    host.append(wrap, this.cbar, this.readout);
    attachHover(this.canvas, this.readout, () => this.hover);
  }

  draw(d: MapDraw): void {
    const { ny, nx } = d;
    const scale = Math.max(1, Math.floor(this.size / Math.max(nx, ny)));
    for (const c of [this.canvas, this.over]) {
      c.style.width = `${nx * scale}px`;
      c.style.height = `${ny * scale}px`;
    }
    this.canvas.width = nx;
    this.canvas.height = ny;
    const ctx = this.canvas.getContext('2d')!;
    const img = ctx.createImageData(nx, ny);
    const cm = getColormap(d.cmap);
    const span = d.vmax - d.vmin;
    for (let j = 0; j < ny; j++) {
      const row = d.flipY ? ny - 1 - j : j;
      for (let i = 0; i < nx; i++) {
        const v = d.data[j * nx + i];
        const o = (row * nx + i) * 4;
        let rgb: readonly number[] | undefined;
        if (d.shade && !(v > 0)) rgb = [d.shade[j * nx + i], d.shade[j * nx + i], d.shade[j * nx + i]];
        else if (Number.isFinite(v)) rgb = colorAt(cm, span > 0 ? (v - d.vmin) / span : 0.5);
        if (!rgb) continue; // NaN without a hillshade: transparent
        img.data.set([rgb[0], rgb[1], rgb[2], 255], o);
      }
    }
    ctx.putImageData(img, 0, 0);
    this.drawOutline(d, scale);
    const units = typeof d.v.attrs.units === 'string' ? d.v.attrs.units : '';
    this.cbar.replaceChildren(el('span', `${d.cmap}: ${fmt(d.vmin)} … ${fmt(d.vmax)} ${units}`));
    this.hover = { v: d.v, data: d.data, ny, nx, stride: d.stride, flipY: d.flipY, coords: d.coords };
  }

  /** Cell edges between inside and outside cells, as lines on the overlay (display resolution). */
  private drawOutline(d: MapDraw, scale: number): void {
    const { ny, nx, outline } = d;
    this.over.width = nx * scale;
    this.over.height = ny * scale;
    const ctx = this.over.getContext('2d')!;
    ctx.clearRect(0, 0, this.over.width, this.over.height);
    this.vectorDrawn = d.vector ? strokeRings(ctx, d.vector, d, scale, scale) : 0;
    if (!outline) return;
    const inside = (j: number, i: number) => j >= 0 && i >= 0 && j < ny && i < nx && outline[j * nx + i] === 1;
    const y = (j: number) => (d.flipY ? ny - j : j) * scale; // top edge of data row j on the canvas (bottom when flipped)
    ctx.strokeStyle = '#e0207a';
    ctx.lineWidth = Math.max(1, scale / 3);
    ctx.beginPath();
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
    };
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (!inside(j, i)) continue;
        if (!inside(j, i - 1)) line(i * scale, y(j), i * scale, y(j + 1));
        if (!inside(j, i + 1)) line((i + 1) * scale, y(j), (i + 1) * scale, y(j + 1));
        if (!inside(j - 1, i)) line(i * scale, y(j), (i + 1) * scale, y(j));
        if (!inside(j + 1, i)) line(i * scale, y(j + 1), (i + 1) * scale, y(j + 1));
      }
    }
    ctx.stroke();
  }
}

export const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(5))) : String(x));

/** Finite min and max of `a` (NaN, NaN when none). */
export function finiteRange(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

/** A line plot of series sharing x; recorded as record.plots[name] = [x, ...ys]. */
export function linePlot(host: HTMLElement, name: string, opts: { x: number[]; xLabel: string; yLabel: string; series: Array<{ label: string; y: Array<number | null> }>; logY?: boolean; time?: boolean }): uPlot {
  const data = [opts.x, ...opts.series.map((s) => s.y)];
  record.plots[name] = data;
  return new uPlot(
    {
      width: Math.min(560, host.clientWidth || 560),
      height: 240,
      scales: { x: { time: opts.time ?? false }, ...(opts.logY ? { y: { distr: 3 } } : {}) },
      axes: [{ label: opts.xLabel }, { label: opts.yLabel }],
      series: [{}, ...opts.series.map((s, k) => ({ label: s.label, stroke: COLORS[k % COLORS.length], width: 1.5 }))],
    },
    data as uPlot.AlignedData,
    host,
  );
}

/** A table (header + rows), recorded as record.tables[name] (header first). */
export function table(host: HTMLElement, name: string, head: string[], rows: string[][]): HTMLTableElement {
  const t = el('table', '', 'facetable');
  const tr = (cells: string[], tag: 'th' | 'td') => {
    const r = el('tr');
    r.append(...cells.map((c) => el(tag, c)));
    return r;
  };
  t.append(tr(head, 'th'), ...rows.map((r) => tr(r, 'td')));
  record.tables[name] = [head, ...rows];
  host.append(t);
  return t;
}

/** A labelled range slider 0…n-1; `label(k)` is shown beside it; ids face-slider-<name> / face-value-<name>. */
export function slider(host: HTMLElement, name: string, n: number, label: (k: number) => string, changed: (k: number) => void): HTMLInputElement {
  const l = el('label', '', 'faceslider');
  const input = el('input');
  Object.assign(input, { type: 'range', min: '0', max: String(Math.max(0, n - 1)), step: '1', value: '0', id: `face-slider-${name}` });
  const out = el('output', label(0));
  out.id = `face-value-${name}`;
  input.addEventListener('input', () => {
    out.textContent = label(Number(input.value));
    changed(Number(input.value));
  });
  l.append(el('span', name), input, out);
  host.append(l);
  return input;
}

/** A <select> of `options`; ids face-select-<name>. */
export function select(host: HTMLElement, name: string, options: string[], changed: (v: string) => void): HTMLSelectElement {
  const l = el('label', '', 'faceslider');
  const s = el('select');
  s.id = `face-select-${name}`;
  for (const o of options) s.append(new Option(o, o));
  s.addEventListener('change', () => changed(s.value));
  l.append(el('span', name), s);
  host.append(l);
  return s;
}
