/**
 * Training artefacts in DLE's formats: train-history.csv (space-separated
 * epoch loss mae mse val_loss val_mae val_mse), train-time_callback.txt,
 * the learning-curve PNG and the per-test-case TRUE | PREDICTED and difference
 * maps of the output magnitude with MAE and RMSE in the title.
 */
import { writeFileSync } from 'node:fs';
import { Field } from '../core/field/field.js';
import { makeGrid } from '../core/field/grid.js';
import { renderChart, renderMap } from '../io/plot/index.js';
import type { HistoryRow } from './fit.js';

const num = (v: number) => (Number.isNaN(v) ? 'nan' : String(v));

export function formatHistoryCsv(rows: HistoryRow[]): string {
  const head = 'epoch loss mae mse val_loss val_mae val_mse\n';
  // DLE/Keras CSVLogger counts epochs from 0.
  return head + rows.map((r) => [r.epoch - 1, r.loss, r.mae, r.mse, r.val_loss, r.val_mae, r.val_mse].map(num).join(' ')).join('\n') + (rows.length ? '\n' : '');
}

export function writeHistory(dir: string, rows: HistoryRow[]): void {
  writeFileSync(`${dir}/train-history.csv`, formatHistoryCsv(rows));
  writeFileSync(`${dir}/train-time_callback.txt`, `[${rows.map((r) => r.seconds).join(', ')}]\n`);
}

export function writeLearningCurve(file: string, rows: HistoryRow[], loss: string): void {
  if (rows.length === 0) return;
  const series = [{ name: 'train', x: rows.map((r) => r.epoch), y: rows.map((r) => r.loss), markers: rows.length < 30 }];
  if (rows.some((r) => !Number.isNaN(r.val_loss))) series.push({ name: 'validation', x: rows.map((r) => r.epoch), y: rows.map((r) => r.val_loss), markers: rows.length < 30 });
  const { png } = renderChart({ title: 'Learning curve', xLabel: 'epoch', xUnits: '', yLabel: `${loss} loss (scaled)`, yUnits: '1', series, logY: rows.every((r) => r.loss > 0) });
  writeFileSync(file, png);
}

/** L2 norm over output channels, per cell. */
export function magnitude(channels: Float32Array[]): Float32Array {
  const out = new Float32Array(channels[0].length);
  for (const c of channels) for (let k = 0; k < out.length; k++) out[k] += c[k] * c[k];
  return out.map(Math.sqrt);
}

/** MAE and RMSE over all output channels and cells (DLE's "mse" title value is this RMSE). */
export function errorStats(truth: Float32Array[], pred: Float32Array[]): { mae: number; rmse: number } {
  let a = 0;
  let s = 0;
  let n = 0;
  truth.forEach((t, c) => {
    for (let k = 0; k < t.length; k++) {
      const d = pred[c][k] - t[k];
      a += Math.abs(d);
      s += d * d;
      n++;
    }
  });
  return { mae: a / n, rmse: Math.sqrt(s / n) };
}

function quantile(v: Float32Array, q: number): number {
  const s = Float32Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}

/**
 * Write `<stem>.png` (TRUE | PREDICTED magnitude, shared 99.9 % quantile scale)
 * and `<stem>-diff.png` (PREDICTED − TRUE magnitude).
 */
export function writePredictionMaps(stem: string, caseName: string, frame: number, ny: number, nx: number, dx: number, truth: Float32Array[], pred: Float32Array[], units: string): { mae: number; rmse: number } {
  const { mae, rmse } = errorStats(truth, pred);
  const mt = magnitude(truth);
  const mp = magnitude(pred);
  const gap = Math.max(2, Math.round(nx / 20));
  const W = 2 * nx + gap;
  const both = new Float32Array(ny * W).fill(NaN);
  for (let j = 0; j < ny; j++) {
    both.set(mt.subarray(j * nx, (j + 1) * nx), j * W);
    both.set(mp.subarray(j * nx, (j + 1) * nx), j * W + nx + gap);
  }
  const d = Math.abs(dx) || 1;
  const grid = makeGrid({ nx: W, ny, x0: 0, y0: 0, dx: d, dy: d });
  const vmax = Math.max(quantile(mt, 0.999), 1e-12);
  const title = `${caseName} frame ${frame}: TRUE | PREDICTED   MAE ${mae.toPrecision(3)}  RMSE ${rmse.toPrecision(3)} ${units}`;
  writeFileSync(`${stem}.png`, renderMap({ field: new Field({ name: 'speed', grid, units, data: both }), title, label: 'output magnitude', vmin: 0, vmax }).png);
  const diff = mp.map((v, k) => v - mt[k]);
  const dmax = Math.max(quantile(diff.map(Math.abs), 0.999), 1e-12);
  writeFileSync(
    `${stem}-diff.png`,
    renderMap({
      field: new Field({ name: 'diff', grid: makeGrid({ nx, ny, x0: 0, y0: 0, dx: d, dy: d }), units, data: diff }),
      title: `${caseName} frame ${frame}: PREDICTED − TRUE   MAE ${mae.toPrecision(3)}  RMSE ${rmse.toPrecision(3)} ${units}`,
      label: 'magnitude difference',
      colormap: 'RdBu',
      vmin: -dmax,
      vmax: dmax,
    }).png,
  );
  return { mae, rmse };
}
