/**
 * Hydrograph PNGs (observed vs simulated flow per basin) with pngjs and a
 * bitmap font — nunatak's shared plotting helper was not available when this
 * was written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { drawText, textWidth } from './font.js';
import type { EvalResult } from './trainer.js';

type RGB = [number, number, number];

/** Render one hydrograph; returns the PNG bytes. Flows in mm/d, NaN gaps not drawn. */
export function hydrographPng(title: string, dates: string[], series: Array<{ label: string; values: ArrayLike<number>; color: RGB }>, w = 900, h = 360): Buffer {
  const png = new PNG({ width: w, height: h });
  png.data.fill(255);
  let color: RGB = [0, 0, 0];
  const set = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (Math.round(y) * w + Math.round(x)) * 4;
    png.data[i] = color[0];
    png.data[i + 1] = color[1];
    png.data[i + 2] = color[2];
    png.data[i + 3] = 255;
  };
  const L = 60, R = w - 15, T = 30, B = h - 40;
  let ymax = 0;
  for (const s of series) for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) ymax = Math.max(ymax, s.values[i]);
  const step = niceStep(ymax / 5);
  ymax = Math.max(step, Math.ceil(ymax / step) * step);
  const n = dates.length;
  const px = (i: number) => L + ((R - L) * i) / Math.max(1, n - 1);
  const py = (v: number) => B - ((B - T) * v) / ymax;
  // grid and ticks
  color = [225, 225, 225];
  for (let v = step; v <= ymax + 1e-9; v += step) for (let x = L; x <= R; x++) set(x, py(v));
  color = [0, 0, 0];
  for (let x = L; x <= R; x++) set(x, B);
  for (let y = T; y <= B; y++) set(L, y);
  for (let v = 0; v <= ymax + 1e-9; v += step) {
    const lab = fmt(v);
    drawText(set, lab, L - 6 - textWidth(lab), py(v) - 3);
  }
  for (let i = 0; i < n; i++) {
    if (dates[i].slice(8) !== '01') continue;
    for (let y = B; y < B + 4; y++) set(px(i), y);
    if (+dates[i].slice(5, 7) % 2 === 1) drawText(set, dates[i].slice(0, 7), px(i) - 20, B + 8);
  }
  drawText(set, 'MM/D', 8, T - 20);
  drawText(set, title, L, 8, 2);
  // series (Bresenham-free: dense interpolation between days)
  let lx = R - 10;
  for (const s of [...series].reverse()) {
    color = s.color;
    for (let i = 1; i < n; i++) {
      const a = s.values[i - 1], b = s.values[i];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      const x0 = px(i - 1), x1 = px(i), y0 = py(a), y1 = py(b);
      const k = Math.max(2, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
      for (let j = 0; j <= k; j++) set(x0 + ((x1 - x0) * j) / k, y0 + ((y1 - y0) * j) / k);
    }
    lx -= textWidth(s.label) + 30;
    for (let x = lx; x < lx + 18; x++) for (let dy = -1; dy <= 1; dy++) set(x, 16 + dy);
    drawText(set, s.label, lx + 22, 13);
  }
  return PNG.sync.write(png);
}

function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
const fmt = (v: number) => (Math.abs(v - Math.round(v)) < 1e-9 ? v.toFixed(0) : v.toFixed(1));

/** Write `<basin>.png` hydrographs for an evaluation result (observed vs simulated). */
export function writePlots(r: EvalResult, label = 'SIM'): string[] {
  const nb = r.ids.length, nt = r.dates.length;
  return r.ids.map((id, b) => {
    const sim = Float32Array.from({ length: nt }, (_, t) => r.sim[t * nb + b]);
    const obs = Float32Array.from({ length: nt }, (_, t) => r.obs[t * nb + b]);
    const m = r.metrics?.[id];
    const title = m ? `${id}  NSE ${m.nse.toFixed(2)}  KGE ${m.kge.toFixed(2)}` : id;
    const file = join(r.dir, `${id}.png`);
    writeFileSync(file, hydrographPng(title, r.dates, [{ label: 'OBS', values: obs, color: [0, 0, 0] }, { label, values: sim, color: [200, 40, 40] }]));
    return file;
  });
}
