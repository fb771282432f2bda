/**
 * `renderChart`: line plots (learning curves, volume / area time series, RMSE
 * vs lead time) as SVG and PNG — several series, legend, optional log-y axis,
 * title and axis labels with units.
 */
import { NunatakError } from '../../core/errors.js';
import { formatTick, logTicks, niceTicks } from './scale.js';
import { FONT_FAMILY, esc, svgToPng, text } from './svg.js';

/** One line of a chart. x and y have the same length; NaN y values break the line. */
export interface ChartSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour (default: the next of a colour-blind-safe palette). */
  color?: string;
  /** Dashed line. */
  dashed?: boolean;
  /** Draw a marker at each point. */
  markers?: boolean;
}

export interface ChartOptions {
  title: string;
  /** x-axis quantity, e.g. "epoch", "year", "lead time". */
  xLabel: string;
  /** x-axis units, e.g. "a", "days" ("1" or "" for dimensionless). */
  xUnits: string;
  /** y-axis quantity, e.g. "loss", "ice volume". */
  yLabel: string;
  /** y-axis units, e.g. "km³", "m". */
  yUnits: string;
  series: ChartSeries[];
  /** log10 y axis (values ≤ 0 are skipped). */
  logY?: boolean;
  /** Pixel size (default 760 × 460). */
  width?: number;
  height?: number;
}

/** Pixel geometry of the rendered chart (for tests). */
export interface ChartLayout {
  width: number;
  height: number;
  plot: { x: number; y: number; w: number; h: number };
  xRange: [number, number];
  yRange: [number, number];
}

export interface ChartResult {
  svg: string;
  png: Buffer;
  layout: ChartLayout;
}

/** Okabe–Ito colour-blind-safe palette. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

function axisTitle(label: string, units: string): string {
  return units && units !== '1' ? `${label} (${units})` : label;
}

/** Render a line chart. Empty series or mismatched x/y lengths → NunatakError('INPUT'). */
export function renderChart(opts: ChartOptions): ChartResult {
  const width = opts.width ?? 760;
  const height = opts.height ?? 460;
  if (opts.series.length === 0) throw new NunatakError('INPUT', `renderChart '${opts.title}': no series to plot`);
  let xa = Infinity;
  let xb = -Infinity;
  let ya = Infinity;
  let yb = -Infinity;
  for (const s of opts.series) {
    if (s.x.length !== s.y.length) {
      throw new NunatakError('INPUT', `renderChart '${opts.title}': series '${s.name}' has ${s.x.length} x values and ${s.y.length} y values`);
    }
    for (let k = 0; k < s.x.length; k++) {
      const x = s.x[k];
      const y = s.y[k];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (opts.logY && y <= 0)) continue;
      xa = Math.min(xa, x);
      xb = Math.max(xb, x);
      ya = Math.min(ya, y);
      yb = Math.max(yb, y);
    }
  }
  if (!Number.isFinite(xa)) throw new NunatakError('INPUT', `renderChart '${opts.title}': no finite${opts.logY ? ' positive' : ''} points`);
  if (xa === xb) [xa, xb] = [xa - 0.5, xb + 0.5];
  if (ya === yb) [ya, yb] = opts.logY ? [ya / 2, yb * 2] : [ya - (Math.abs(ya) || 1) * 0.5, yb + (Math.abs(yb) || 1) * 0.5];
  // Pad y a little (5 %, multiplicative on log axes) so lines do not touch the frame.
  if (opts.logY) {
    const f = (yb / ya) ** 0.05;
    ya /= f;
    yb *= f;
  } else {
    const p = 0.05 * (yb - ya);
    ya -= p;
    yb += p;
  }
  const left = 80;
  const top = 48;
  const right = 24;
  const bottom = 60;
  const pw = width - left - right;
  const ph = height - top - bottom;
  const X = (x: number) => left + ((x - xa) / (xb - xa)) * pw;
  const Y = opts.logY ? (y: number) => top + ph - ((Math.log10(y) - Math.log10(ya)) / (Math.log10(yb) - Math.log10(ya))) * ph : (y: number) => top + ph - ((y - ya) / (yb - ya)) * ph;

  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#fff"/>`];
  for (const v of niceTicks(xa, xb, 7)) {
    const px = X(v);
    parts.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${top + ph}" stroke="#e4e4e4"/>`);
    parts.push(`<line x1="${px}" y1="${top + ph}" x2="${px}" y2="${top + ph + 5}" stroke="#333"/>`);
    parts.push(text(px, top + ph + 19, formatTick(v), { size: 12, anchor: 'middle' }));
  }
  for (const v of opts.logY ? logTicks(ya, yb) : niceTicks(ya, yb, 6)) {
    const py = Y(v);
    parts.push(`<line x1="${left}" y1="${py}" x2="${left + pw}" y2="${py}" stroke="#e4e4e4"/>`);
    parts.push(`<line x1="${left - 5}" y1="${py}" x2="${left}" y2="${py}" stroke="#333"/>`);
    parts.push(text(left - 8, py, formatTick(v), { size: 12, anchor: 'end', baseline: 'middle' }));
  }
  parts.push(`<clipPath id="plot"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath>`);
  opts.series.forEach((s, n) => {
    const color = s.color ?? PALETTE[n % PALETTE.length];
    let d = '';
    let pen = false;
    const marks: string[] = [];
    for (let k = 0; k < s.x.length; k++) {
      const x = s.x[k];
      const y = s.y[k];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (opts.logY && y <= 0)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${X(x).toFixed(2)} ${Y(y).toFixed(2)}`;
      pen = true;
      if (s.markers) marks.push(`<circle cx="${X(x).toFixed(2)}" cy="${Y(y).toFixed(2)}" r="3" fill="${esc(color)}"/>`);
    }
    parts.push(`<g clip-path="url(#plot)"><path d="${d}" fill="none" stroke="${esc(color)}" stroke-width="2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>${marks.join('')}</g>`);
  });
  parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(text(width / 2, 28, opts.title, { size: 17, anchor: 'middle' }));
  parts.push(text(left + pw / 2, height - 16, axisTitle(opts.xLabel, opts.xUnits), { size: 13, anchor: 'middle' }));
  parts.push(text(20, top + ph / 2, axisTitle(opts.yLabel, opts.yUnits) + (opts.logY ? ', log scale' : ''), { size: 13, anchor: 'middle', rotate: -90, baseline: 'middle' }));
  // Legend, top-right inside the plot.
  const lh = 18;
  const lw = 44 + Math.max(...opts.series.map((s) => s.name.length)) * 7.2;
  const lx = left + pw - lw - 8;
  parts.push(`<rect x="${lx}" y="${top + 8}" width="${lw}" height="${opts.series.length * lh + 8}" fill="#fff" fill-opacity="0.9" stroke="#999"/>`);
  opts.series.forEach((s, n) => {
    const y = top + 12 + lh * n + lh / 2;
    const color = s.color ?? PALETTE[n % PALETTE.length];
    parts.push(`<line x1="${lx + 8}" y1="${y}" x2="${lx + 32}" y2="${y}" stroke="${esc(color)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>`);
    parts.push(text(lx + 38, y, s.name, { size: 12, baseline: 'middle' }));
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">\n${parts.join('\n')}\n</svg>\n`;
  return { svg, png: svgToPng(svg), layout: { width, height, plot: { x: left, y: top, w: pw, h: ph }, xRange: [xa, xb], yRange: [ya, yb] } };
}
