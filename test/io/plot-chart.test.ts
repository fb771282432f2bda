import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { isNunatakError } from '../../src/core/errors.js';
import { renderChart, PALETTE } from '../../src/io/plot/index.js';

function pixel(png: PNG, x: number, y: number): number[] {
  const o = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[o], png.data[o + 1], png.data[o + 2], png.data[o + 3]];
}
const hex = (h: string) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));

test('renderChart: SVG has title, axis labels with units and legend; PNG lines are where the data are', () => {
  const x = Array.from({ length: 50 }, (_, k) => k);
  const r = renderChart({
    title: 'Ice volume',
    xLabel: 'time',
    xUnits: 'a',
    yLabel: 'volume',
    yUnits: 'km³',
    series: [
      { name: 'flat', x, y: x.map(() => 2) },
      { name: 'rising', x, y: x.map((v) => 1 + v / 49), dashed: true },
    ],
    width: 700,
    height: 420,
  });
  assert.match(r.svg, />Ice volume</);
  assert.match(r.svg, />time \(a\)</);
  assert.match(r.svg, />volume \(km³\)</);
  assert.match(r.svg, />flat</);
  assert.match(r.svg, />rising</);
  const img = PNG.sync.read(r.png);
  assert.deepEqual([img.width, img.height], [700, 420]);
  const { plot, yRange } = r.layout;
  // The flat series (y = 2) is a horizontal line in palette colour 0, at 1/4 of the plot width.
  const py = plot.y + plot.h - ((2 - yRange[0]) / (yRange[1] - yRange[0])) * plot.h;
  const got = pixel(img, plot.x + plot.w / 4, py);
  const want = hex(PALETTE[0]);
  assert.ok(got.every((v, k) => k === 3 || Math.abs(v - want[k]) < 40), `line pixel ${got} vs ${want}`);
  // Chart background is opaque white.
  assert.deepEqual(pixel(img, 2, 2), [255, 255, 255, 255]);
});

test('renderChart: log-y axis uses decade ticks and skips non-positive values', () => {
  const x = Array.from({ length: 30 }, (_, k) => k + 1);
  const r = renderChart({
    title: 'Learning curve',
    xLabel: 'epoch',
    xUnits: '1',
    yLabel: 'loss',
    yUnits: 'm²',
    logY: true,
    series: [
      { name: 'train', x, y: x.map((e) => 10 / e ** 2) },
      { name: 'val', x, y: x.map((e) => (e === 5 ? 0 : 12 / e ** 1.5)) },
    ],
  });
  assert.match(r.svg, />epoch</);
  assert.doesNotMatch(r.svg, /epoch \(1\)/);
  assert.match(r.svg, /loss \(m²\), log scale/);
  for (const t of ['0.1', '1', '10']) assert.match(r.svg, new RegExp(`>${t.replace('.', '\\.')}</text>`));
  assert.ok(r.layout.yRange[0] > 0);
  // The zero at epoch 5 breaks the val line into two pieces.
  const valPath = r.svg.split('\n').filter((l) => l.includes(`stroke="${PALETTE[1]}"`) && l.includes('<path'))[0];
  assert.equal((valPath.match(/M/g) ?? []).length, 2);
});

test('renderChart: bad input is refused with the series named', () => {
  assert.throws(
    () => renderChart({ title: 't', xLabel: 'x', xUnits: 'm', yLabel: 'y', yUnits: 'm', series: [{ name: 'bad', x: [1, 2, 3], y: [1, 2] }] }),
    (e) => isNunatakError(e, 'INPUT') && /'bad' has 3 x values and 2 y values/.test(e.message),
  );
  assert.throws(() => renderChart({ title: 't', xLabel: 'x', xUnits: 'm', yLabel: 'y', yUnits: 'm', series: [] }), (e) => isNunatakError(e, 'INPUT'));
  assert.throws(
    () => renderChart({ title: 't', xLabel: 'x', xUnits: 'm', yLabel: 'y', yUnits: 'm', logY: true, series: [{ name: 'neg', x: [1, 2], y: [-1, 0] }] }),
    (e) => isNunatakError(e, 'INPUT') && /positive/.test(e.message),
  );
});

test('docs/img/chart_example.png decodes to the documented size', () => {
  const img = PNG.sync.read(readFileSync('docs/img/chart_example.png'));
  assert.deepEqual([img.width, img.height], [760, 460]);
});
