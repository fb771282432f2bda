/**
 * `renderMap`: a 2-D field as a PNG map a scientist can read — named colormap,
 * linear or log colour scale, colorbar with units, NaN transparent, optional
 * hillshade underlay and contour lines of other fields, title and axis labels
 * (x / y in km for projected grids, degrees for lon/lat).
 */
import { NunatakError } from '../../core/errors.js';
import type { Field } from '../../core/field/field.js';
import { resolveCrs } from '../geo/crs.js';
import { colorAt, getColormap, type Colormap } from './colormap.js';
import { contourSegments } from './contour.js';
import { hillshade, type HillshadeOptions } from './hillshade.js';
import { dataRange, formatTick, logTicks, niceTicks, normalize, type ScaleKind } from './scale.js';
import { FONT_FAMILY, esc, imageElement, svgToPng, text } from './svg.js';

/** Contour lines of another field drawn over the map. */
export interface MapContour {
  /** Field on a grid of the same shape as the mapped field (e.g. an ice mask or thickness). */
  field: Field;
  /** Contour levels in the field's units (for a 0/1 mask use [0.5]). */
  levels: number[];
  /** CSS colour (default black). */
  color?: string;
  /** Line width in pixels (default 1.5). */
  width?: number;
  /** Legend text (e.g. "RGI6 outline"); no legend entry when omitted. */
  label?: string;
}

export interface MapOptions {
  /** The 2-D field to map. */
  field: Field;
  /** Plot title. */
  title: string;
  /** Colorbar quantity name (default field.longName ?? field.name). */
  label?: string;
  /** Units shown on the colorbar (default field.units). */
  units?: string;
  /** Colormap name: viridis, magma, terrain, RdBu, Blues, … (default viridis). */
  colormap?: string;
  /** 'linear' (default) or 'log' (log10; values ≤ 0 are drawn as NaN). */
  scale?: ScaleKind;
  /** Colour range (default: data min / max). */
  vmin?: number;
  vmax?: number;
  /** Hillshade underlay: a DEM field, or `true` to shade the mapped field itself. */
  hillshade?: Field | true;
  /** Sun position / exaggeration for the hillshade. */
  hillshadeOptions?: HillshadeOptions;
  /** Opacity of the colours over the hillshade (default 0.6). */
  hillshadeAlpha?: number;
  /** Contour lines of other fields. */
  contours?: MapContour[];
  /** Screen pixels per grid cell (default: fits the map into ~560 px). */
  pixelsPerCell?: number;
}

/** Pixel rectangles of the rendered map (for tests and annotations). */
export interface MapLayout {
  width: number;
  height: number;
  /** The map area: grid cell (row j, col i) covers [x + i·s, x + (i+1)·s) × [y + j·s, …) for north-up grids. */
  plot: { x: number; y: number; w: number; h: number; pixelsPerCell: number };
  /** The colorbar: top pixel row is vmax, bottom is vmin. */
  colorbar: { x: number; y: number; w: number; h: number };
  vmin: number;
  vmax: number;
  scale: ScaleKind;
  colormap: string;
}

export interface MapResult {
  png: Buffer;
  svg: string;
  layout: MapLayout;
}

/** Axis description for a grid's CRS: label, and the factor from CRS units to axis units. */
function axes(field: Field): { xl: string; yl: string; f: number; crsNote: string } {
  if (field.grid.crs === undefined) return { xl: 'x (grid units)', yl: 'y (grid units)', f: 1, crsNote: '' };
  const crs = resolveCrs(field.grid.crs, `field '${field.name}'`);
  const note = /^EPSG:\d+$/.test(crs.label) ? crs.label : '';
  if (crs.geographic) return { xl: 'longitude (°E)', yl: 'latitude (°N)', f: 1, crsNote: note };
  return { xl: 'x (km)', yl: 'y (km)', f: 1e-3, crsNote: note };
}

/** Render a field to a PNG map. Returns the PNG, the SVG it was drawn from and the layout. */
export function renderMap(opts: MapOptions): MapResult {
  const { field } = opts;
  if (field.nz) throw new NunatakError('SHAPE', `renderMap: field '${field.name}' is 3-D; map one level (field slice) at a time`);
  const { nx, ny, dx, dy } = field.grid;
  const scale: ScaleKind = opts.scale ?? 'linear';
  const cm: Colormap = getColormap(opts.colormap ?? 'viridis');
  let [vmin, vmax] = dataRange(field.data, scale, `field '${field.name}'`);
  if (opts.vmin !== undefined) vmin = opts.vmin;
  if (opts.vmax !== undefined) vmax = opts.vmax;
  if (!(vmax > vmin) || (scale === 'log' && !(vmin > 0))) {
    throw new NunatakError('INPUT', `renderMap: colour range [${vmin}, ${vmax}] is invalid for a ${scale} scale`, { hint: 'vmax must exceed vmin; log scales need vmin > 0' });
  }
  for (const c of opts.contours ?? []) {
    if (c.field.grid.nx !== nx || c.field.grid.ny !== ny) {
      throw new NunatakError('SHAPE', `renderMap: contour field '${c.field.name}' is ${c.field.grid.ny}×${c.field.grid.nx}, map field '${field.name}' is ${ny}×${nx}`);
    }
  }
  const s = opts.pixelsPerCell ?? Math.max(1, Math.floor(560 / Math.max(nx, ny)));
  const pw = nx * s;
  const ph = ny * s;
  const left = 78;
  const top = 56;
  const bottom = 58;
  const cbGap = 18;
  const cbW = 22;
  const right = cbGap + cbW + 92;
  const width = left + pw + right;
  const height = top + ph + bottom;
  // Display order: north (larger y) up, east (larger x) right, whatever the grid's signs.
  const colOf = (px: number) => (dx > 0 ? Math.floor(px / s) : nx - 1 - Math.floor(px / s));
  const rowOf = (py: number) => (dy < 0 ? Math.floor(py / s) : ny - 1 - Math.floor(py / s));

  let shade: Float32Array | undefined;
  if (opts.hillshade) {
    const dem = opts.hillshade === true ? field : opts.hillshade;
    if (dem.grid.nx !== nx || dem.grid.ny !== ny) throw new NunatakError('SHAPE', `renderMap: hillshade DEM '${dem.name}' is ${dem.grid.ny}×${dem.grid.nx}, map is ${ny}×${nx}`);
    shade = hillshade(dem, opts.hillshadeOptions);
  }
  const alpha = shade ? (opts.hillshadeAlpha ?? 0.6) : 1;
  const rgba = new Uint8Array(pw * ph * 4);
  for (let py = 0; py < ph; py++) {
    const j = rowOf(py);
    for (let px = 0; px < pw; px++) {
      const k = j * nx + colOf(px);
      const t = normalize(field.data[k], vmin, vmax, scale);
      const o = (py * pw + px) * 4;
      const sh = shade ? shade[k] : NaN;
      if (Number.isNaN(t) && Number.isNaN(sh)) continue; // transparent
      const g = Number.isNaN(sh) ? 0 : sh * 255;
      if (Number.isNaN(t)) {
        rgba.set([g, g, g, 255], o);
        continue;
      }
      const c = colorAt(cm, t);
      const base = Number.isNaN(sh) ? c : [g, g, g];
      rgba[o] = Math.round(alpha * c[0] + (1 - alpha) * base[0]);
      rgba[o + 1] = Math.round(alpha * c[1] + (1 - alpha) * base[1]);
      rgba[o + 2] = Math.round(alpha * c[2] + (1 - alpha) * base[2]);
      rgba[o + 3] = 255;
    }
  }
  const cbX = left + pw + cbGap;
  const cbRgba = new Uint8Array(cbW * ph * 4);
  for (let r = 0; r < ph; r++) {
    const c = colorAt(cm, 1 - (r + 0.5) / ph);
    for (let q = 0; q < cbW; q++) cbRgba.set([c[0], c[1], c[2], 255], (r * cbW + q) * 4);
  }

  const parts: string[] = [];
  // White page with a hole over the map so NaN cells stay transparent in the PNG.
  parts.push(`<path d="M0 0H${width}V${height}H0Z M${left} ${top}v${ph}h${pw}v${-ph}Z" fill="#fff" fill-rule="evenodd"/>`);
  parts.push(imageElement(rgba, pw, ph, left, top));
  // Contours, in cell-centre index space → pixels.
  const legend: Array<{ label: string; color: string; width: number }> = [];
  for (const c of opts.contours ?? []) {
    const color = c.color ?? '#000';
    const lw = c.width ?? 1.5;
    let d = '';
    for (const level of c.levels) {
      for (const [i1, j1, i2, j2] of contourSegments(c.field, level)) {
        const X = (i: number) => left + (dx > 0 ? i + 0.5 : nx - 0.5 - i) * s;
        const Y = (j: number) => top + (dy < 0 ? j + 0.5 : ny - 0.5 - j) * s;
        d += `M${X(i1).toFixed(2)} ${Y(j1).toFixed(2)}L${X(i2).toFixed(2)} ${Y(j2).toFixed(2)}`;
      }
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${esc(color)}" stroke-width="${lw}" stroke-linecap="round"/>`);
    if (c.label) legend.push({ label: c.label, color, width: lw });
  }
  parts.push(`<rect x="${left - 0.5}" y="${top - 0.5}" width="${pw + 1}" height="${ph + 1}" fill="none" stroke="#333" stroke-width="1"/>`);

  // Axes: cell-edge extent in axis units, north-up.
  const ax = axes(field);
  const xa = Math.min(field.grid.x0 - dx / 2, field.grid.x0 + (nx - 0.5) * dx) * ax.f;
  const xb = Math.max(field.grid.x0 - dx / 2, field.grid.x0 + (nx - 0.5) * dx) * ax.f;
  const ya = Math.min(field.grid.y0 - dy / 2, field.grid.y0 + (ny - 0.5) * dy) * ax.f;
  const yb = Math.max(field.grid.y0 - dy / 2, field.grid.y0 + (ny - 0.5) * dy) * ax.f;
  for (const v of niceTicks(xa, xb, 6)) {
    const px = left + ((v - xa) / (xb - xa)) * pw;
    parts.push(`<line x1="${px}" y1="${top + ph}" x2="${px}" y2="${top + ph + 5}" stroke="#333"/>`);
    parts.push(text(px, top + ph + 19, formatTick(v), { size: 12, anchor: 'middle' }));
  }
  for (const v of niceTicks(ya, yb, 6)) {
    const py = top + ph - ((v - ya) / (yb - ya)) * ph;
    parts.push(`<line x1="${left - 5}" y1="${py}" x2="${left}" y2="${py}" stroke="#333"/>`);
    parts.push(text(left - 8, py, formatTick(v), { size: 12, anchor: 'end', baseline: 'middle' }));
  }
  parts.push(text(left + pw / 2, height - 14, ax.xl + (ax.crsNote ? `  [${ax.crsNote}]` : ''), { size: 13, anchor: 'middle' }));
  parts.push(text(18, top + ph / 2, ax.yl, { size: 13, anchor: 'middle', rotate: -90, baseline: 'middle' }));
  parts.push(text(width / 2, 30, opts.title, { size: 17, anchor: 'middle' }));

  // Colorbar with ticks and units.
  parts.push(imageElement(cbRgba, cbW, ph, cbX, top));
  parts.push(`<rect x="${cbX - 0.5}" y="${top - 0.5}" width="${cbW + 1}" height="${ph + 1}" fill="none" stroke="#333"/>`);
  const ticks = scale === 'log' ? logTicks(vmin, vmax) : niceTicks(vmin, vmax, 7);
  for (const v of ticks) {
    const py = top + ph - normalize(v, vmin, vmax, scale) * ph;
    parts.push(`<line x1="${cbX + cbW}" y1="${py}" x2="${cbX + cbW + 5}" y2="${py}" stroke="#333"/>`);
    parts.push(text(cbX + cbW + 8, py, formatTick(v), { size: 12, baseline: 'middle' }));
  }
  const units = opts.units ?? field.units;
  const qty = opts.label ?? field.longName ?? field.name;
  parts.push(text(width - 14, top + ph / 2, `${qty} (${units})${scale === 'log' ? ', log scale' : ''}`, { size: 13, anchor: 'middle', rotate: 90, baseline: 'middle' }));

  // Legend for labelled contours, top-left inside the map.
  if (legend.length) {
    const lh = 18;
    const lw = 16 + Math.max(...legend.map((l) => l.label.length)) * 7.2 + 34;
    parts.push(`<rect x="${left + 8}" y="${top + 8}" width="${lw}" height="${legend.length * lh + 8}" fill="#fff" fill-opacity="0.85" stroke="#999"/>`);
    legend.forEach((l, k) => {
      const y = top + 8 + 4 + lh * k + lh / 2;
      parts.push(`<line x1="${left + 16}" y1="${y}" x2="${left + 40}" y2="${y}" stroke="${esc(l.color)}" stroke-width="${l.width}"/>`);
      parts.push(text(left + 46, y, l.label, { size: 12, baseline: 'middle' }));
    });
  }

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">\n${parts.join('\n')}\n</svg>\n`;
  const png = svgToPng(svg);
  return {
    png,
    svg,
    layout: { width, height, plot: { x: left, y: top, w: pw, h: ph, pixelsPerCell: s }, colorbar: { x: cbX, y: top, w: cbW, h: ph }, vmin, vmax, scale, colormap: cm.name },
  };
}
