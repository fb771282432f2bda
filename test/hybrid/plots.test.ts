/**
 * Hydrograph PNGs via io/plot: decoded size, that observed (black) and simulated
 * (vermillion) line pixels exist inside the plot frame, date → x conversion,
 * and re-reading an evaluation directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { dayNumber, hydrographChart, writePlots } from '../../src/hybrid/train/plots.js';
import { readEvalResult } from '../../src/hybrid/train/read-eval.js';

/** Pixels inside the plot area within `tol` of an RGB colour. */
function countColor(img: PNG, box: { x: number; y: number; w: number; h: number }, rgb: number[], tol = 30): number {
  let n = 0;
  for (let y = Math.ceil(box.y) + 2; y < box.y + box.h - 2; y++) {
    for (let x = Math.ceil(box.x) + 2; x < box.x + box.w - 2; x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.data[i] - rgb[0]) <= tol && Math.abs(img.data[i + 1] - rgb[1]) <= tol && Math.abs(img.data[i + 2] - rgb[2]) <= tol) n++;
    }
  }
  return n;
}

test('dayNumber: days between dates (leap year included); bad dates throw', () => {
  assert.equal(dayNumber('2000-03-01') - dayNumber('2000-02-28'), 2); // 2000 is a leap year
  assert.equal(dayNumber('2002-01-01') - dayNumber('2001-01-01'), 365);
  assert.throws(() => dayNumber('2002-02-30'), /2002-02-30.*YYYY-MM-DD/);
  assert.throws(() => dayNumber('02/01/2002'), (e: Error & { code?: string }) => e.code === 'INPUT');
});

test('hydrographChart: PNG size, axis range, observed and simulated line pixels', () => {
  const dates = Array.from({ length: 60 }, (_, t) => new Date(Date.UTC(2002, 0, 1 + t)).toISOString().slice(0, 10));
  const obs = Float32Array.from(dates, (_, t) => (t === 10 ? NaN : 1 + Math.sin(t / 5)));
  const sim = Float32Array.from(dates, (_, t) => 4 + Math.cos(t / 7));
  const r = hydrographChart('basin X: NSE 0.10, KGE 0.20', dates, obs, sim, 'simulated', 640, 300);
  const img = PNG.sync.read(r.png);
  assert.equal(img.width, 640);
  assert.equal(img.height, 300);
  assert.deepEqual(r.layout.xRange, [0, 59]);
  assert.ok(r.svg.includes('streamflow (mm d⁻¹)') && r.svg.includes('date: days since 2002-01-01 (d)'));
  // obs lies in y ≤ 2, sim in y ≥ 3: count pixels in the matching halves of the plot.
  const { plot, yRange } = r.layout;
  const yPix = (v: number) => plot.y + plot.h - ((v - yRange[0]) / (yRange[1] - yRange[0])) * plot.h;
  const low = { x: plot.x, y: yPix(2.5), w: plot.w, h: plot.y + plot.h - yPix(2.5) };
  const high = { x: plot.x, y: plot.y, w: plot.w, h: yPix(2.5) - plot.y };
  assert.ok(countColor(img, low, [0, 0, 0]) > 200, 'observed (black) pixels in the lower half');
  assert.ok(countColor(img, high, [0xd5, 0x5e, 0x00]) > 200, 'simulated (vermillion) pixels in the upper half');
  assert.equal(countColor(img, low, [0xd5, 0x5e, 0x00]), 0, 'no simulated pixels where only obs lies');
});

test('readEvalResult + writePlots: re-plot from streamflow.csv; malformed files name the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-hybrid-plots-'));
  const rows = ['date,A_sim,A_obs,B_sim,B_obs'];
  for (let t = 0; t < 30; t++) rows.push(`2002-01-${String(t + 1).padStart(2, '0')},${(1 + t / 10).toFixed(3)},${t === 3 ? '' : (2 - t / 20).toFixed(3)},0.5,0.7`);
  writeFileSync(join(dir, 'streamflow.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ A: { nse: 0.5, kge: 0.25 }, B: { nse: -1, kge: 0 } }));
  const r = readEvalResult(dir);
  assert.deepEqual(r.ids, ['A', 'B']);
  assert.equal(r.dates.length, 30);
  assert.ok(Math.abs(r.sim[2 * 5] - 1.5) < 1e-6); // t = 5, basin A
  assert.ok(Number.isNaN(r.obs[2 * 3]));
  assert.equal(r.metrics?.A.kge, 0.25);
  const files = writePlots(r);
  assert.deepEqual(files, [join(dir, 'A.png'), join(dir, 'B.png')]);
  const img = PNG.sync.read(readFileSync(files[0]));
  assert.equal(img.width, 960);
  assert.equal(img.height, 400);
  writeFileSync(join(dir, 'streamflow.csv'), 'date,A_sim,B_obs\n2002-01-01,1,2\n');
  assert.throws(() => readEvalResult(dir), /streamflow\.csv: header must be/);
  writeFileSync(join(dir, 'streamflow.csv'), 'date,A_sim,A_obs\n2002-01-01,x,2\n');
  assert.throws(() => readEvalResult(dir), /line 2: basin A has a non-numeric flow/);
  assert.throws(() => readEvalResult(join(dir, 'nope')), /streamflow\.csv not found/);
  rmSync(dir, { recursive: true, force: true });
});
