import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { Field } from '../../src/core/field/field.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { isNunatakError } from '../../src/core/errors.js';
import { colorAt, getColormap, rgbHex, renderMap, hillshade, contourSegments } from '../../src/io/plot/index.js';
import { readGeoTiff, reprojectToGrid, resampleToGrid, writeGeoTiff } from '../../src/io/geo/index.js';
import { DEM, gdal, gdalValues, tmp } from './geo-helpers.js';

function pixel(png: PNG, x: number, y: number): number[] {
  const o = (Math.floor(y) * png.width + Math.floor(x)) * 4;
  return [png.data[o], png.data[o + 1], png.data[o + 2], png.data[o + 3]];
}
const near = (a: number[], b: number[], tol: number) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

test('colormaps are matplotlib\'s tables (documented end colours)', () => {
  const ends: Record<string, [string, string]> = {
    viridis: ['#440154', '#fde725'],
    magma: ['#000004', '#fcfdbf'],
    RdBu: ['#67001f', '#053061'],
    Blues: ['#f7fbff', '#08306b'],
    terrain: ['#333399', '#ffffff'],
  };
  for (const [name, [lo, hi]] of Object.entries(ends)) {
    const cm = getColormap(name.toLowerCase());
    assert.equal(cm.levels.length, 256);
    assert.equal(rgbHex(colorAt(cm, 0)), lo, `${name}(0)`);
    assert.equal(rgbHex(colorAt(cm, 1)), hi, `${name}(1)`);
  }
  // viridis mid-point (matplotlib _viridis_data[128] = 0.127568, 0.566949, 0.550556).
  assert.equal(rgbHex(colorAt(getColormap('viridis'), 128 / 256)), '#21918c');
  assert.throws(() => getColormap('virdis'), (e) => isNunatakError(e, 'CONFIG') && /did you mean 'viridis'/.test(e.message));
});

/** 40 × 30 field: value = column index + 1 (1…40), a NaN block in the top-left corner. */
function testField(): Field {
  const grid = makeGrid({ nx: 40, ny: 30, x0: 500050, y0: 5200950, dx: 100, dy: -100, crs: 'EPSG:32632' });
  const data = new Float32Array(1200);
  for (let j = 0; j < 30; j++) for (let i = 0; i < 40; i++) data[j * 40 + i] = i < 5 && j < 5 ? NaN : i + 1;
  return new Field({ name: 'thk', grid, units: 'm', data, longName: 'ice thickness' });
}

test('renderMap: PNG size, data pixels, NaN transparency and colorbar placement', () => {
  const f = testField();
  const { png, layout, svg } = renderMap({ field: f, title: 'Test map', colormap: 'viridis', pixelsPerCell: 10 });
  const img = PNG.sync.read(png);
  assert.equal(img.width, layout.width);
  assert.equal(img.height, layout.height);
  assert.deepEqual([layout.plot.w, layout.plot.h], [400, 300]);
  const cm = getColormap('viridis');
  const { x, y } = layout.plot;
  // NaN cell (row 2, col 2) → fully transparent; its neighbour block below is opaque data.
  assert.equal(pixel(img, x + 25, y + 25)[3], 0);
  // Cell (row 20, col 30) has value 31 → t = (31 - 1) / 39.
  const want = colorAt(cm, 30 / 39);
  assert.ok(near(pixel(img, x + 305, y + 205), [...want, 255], 1), `got ${pixel(img, x + 305, y + 205)} want ${want}`);
  // Colorbar: top row is vmax, bottom row vmin, and it sits right of the map.
  const cb = layout.colorbar;
  assert.ok(cb.x > x + layout.plot.w);
  assert.ok(near(pixel(img, cb.x + cb.w / 2, cb.y + 1), [...colorAt(cm, 1), 255], 2));
  assert.ok(near(pixel(img, cb.x + cb.w / 2, cb.y + cb.h - 2), [...colorAt(cm, 0), 255], 2));
  assert.ok(near(pixel(img, cb.x + cb.w / 2, cb.y + cb.h / 2), [...colorAt(cm, 0.5), 255], 3));
  // Page outside the map is opaque white (left margin, above the y ticks).
  assert.deepEqual(pixel(img, 3, 3), [255, 255, 255, 255]);
  // Title, axis labels and units are in the drawing.
  assert.match(svg, />Test map</);
  assert.match(svg, />x \(km\)/);
  assert.match(svg, />y \(km\)</);
  assert.match(svg, />ice thickness \(m\)</);
  assert.equal(layout.vmin, 1);
  assert.equal(layout.vmax, 40);
});

test('renderMap: log scale places 10 at one third of [1, 1000]; contours and hillshade draw', () => {
  const grid = makeGrid({ nx: 30, ny: 20, x0: 50, y0: 1950, dx: 100, dy: -100, crs: 'EPSG:32632' });
  const data = new Float32Array(600).fill(10);
  data[0] = 1;
  data[1] = 1000;
  const f = new Field({ name: 'q', grid, units: 'm a-1', data });
  const r = renderMap({ field: f, title: 'log', colormap: 'magma', scale: 'log', pixelsPerCell: 10 });
  const img = PNG.sync.read(r.png);
  const want = colorAt(getColormap('magma'), 1 / 3);
  assert.ok(near(pixel(img, r.layout.plot.x + 155, r.layout.plot.y + 105), [...want, 255], 1));
  assert.match(r.svg, />100</);
  assert.match(r.svg, /log scale/);
  // A 0/1 mask square contoured at 0.5 in red over a hillshaded ramp.
  const mask = new Field({ name: 'mask', grid, data: new Float32Array(600).map((_, k) => (k % 30 >= 10 && k % 30 < 20 && Math.floor(k / 30) >= 5 && Math.floor(k / 30) < 15 ? 1 : 0)) });
  const ramp = new Field({ name: 'z', grid, units: 'm', data: new Float32Array(600).map((_, k) => 100 * (k % 30)) });
  const m = renderMap({ field: ramp, title: 'c', colormap: 'terrain', hillshade: true, contours: [{ field: mask, levels: [0.5], color: '#ff0000', width: 2, label: 'mask' }], pixelsPerCell: 10 });
  const im2 = PNG.sync.read(m.png);
  // Contour crosses between cells 9 and 10 on row 10: x = plot.x + 10 cells · 10 px.
  const red = pixel(im2, m.layout.plot.x + 100, m.layout.plot.y + 105);
  assert.ok(red[0] > 200 && red[1] < 80 && red[2] < 80, `contour pixel ${red}`);
  assert.match(m.svg, />mask</);
  assert.throws(() => renderMap({ field: f, title: 'x', scale: 'log', vmin: 0 }), (e) => isNunatakError(e, 'INPUT'));
  assert.throws(() => renderMap({ field: f, title: 'x', colormap: 'nope' }), (e) => isNunatakError(e, 'CONFIG'));
});

test('hillshade agrees with gdaldem hillshade on the 100 m Hintereisferner DEM', async () => {
  const dem = reprojectToGrid((await readGeoTiff(DEM)).field, 'EPSG:32632', 100);
  const dir = tmp('hs');
  const tif = join(dir, 'dem.tif');
  writeGeoTiff(tif, dem);
  const out = join(dir, 'hs.tif');
  gdal('gdaldem', ['hillshade', '-q', '-az', '315', '-alt', '45', tif, out]);
  const ref = gdalValues(out).values;
  const ours = hillshade(dem);
  const { nx, ny } = dem.grid;
  let n = 0;
  let worst = 0;
  for (let j = 1; j < ny - 1; j++) {
    for (let i = 1; i < nx - 1; i++) {
      let full = true;
      for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) if (Number.isNaN(dem.data[(j + a) * nx + i + b])) full = false;
      if (!full || ref[j * nx + i] === 0) continue;
      // gdaldem writes byte = 1 + 254·shade (truncated): agree within 1 DN.
      worst = Math.max(worst, Math.abs(1 + 254 * ours[j * nx + i] - ref[j * nx + i]));
      n++;
    }
  }
  assert.ok(n > 50000, `${n} cells compared`);
  assert.ok(worst <= 1.01, `max |diff| ${worst} DN`);
});

test('contourSegments: a circle of radius 10 cells has length 2π·10 (within 2 %)', () => {
  const grid = makeGrid({ nx: 41, ny: 41, x0: 0, y0: 0, dx: 1, dy: 1 });
  const f = new Field({ name: 'r', grid, data: new Float32Array(41 * 41).map((_, k) => Math.hypot((k % 41) - 20, Math.floor(k / 41) - 20)) });
  const len = contourSegments(f, 10).reduce((s, [a, b, c, d]) => s + Math.hypot(c - a, d - b), 0);
  assert.ok(Math.abs(len / (2 * Math.PI * 10) - 1) < 0.02, `length ${len}`);
});

test('docs/img/hef_dem_map.png is a real map: DEM pixels, transparent NaN corners', () => {
  const img = PNG.sync.read(readFileSync('docs/img/hef_dem_map.png'));
  assert.ok(img.width > 600 && img.height > 600);
  let transparent = 0;
  let opaque = 0;
  for (let k = 3; k < img.data.length; k += 4) {
    if (img.data[k] === 0) transparent++;
    else opaque++;
  }
  assert.ok(transparent > 1000 && opaque > 0.9 * (transparent + opaque), `${transparent} transparent, ${opaque} opaque`);
});

test('hillshade of the lon/lat SRTM grid matches the hillshade of its UTM reprojection', async () => {
  // nunatak converts degrees to metres at the mid-latitude for lon/lat grids. Reference: the
  // hillshade computed on the 100 m UTM grid (checked against gdaldem above). The lon/lat
  // hillshade resampled onto that grid must agree cell by cell: mean |Δshade| < 0.03
  // (measured 0.012; resampling and the different cell sizes account for it).
  const ll = (await readGeoTiff(DEM)).field;
  const utm = reprojectToGrid(ll, 'EPSG:32632', 100);
  const ref = hillshade(utm);
  const meanAbs = (shade: Float32Array) => {
    const r = resampleToGrid(new Field({ name: 'hs', grid: ll.grid, data: shade }), utm.grid);
    let s = 0;
    let n = 0;
    for (let k = 0; k < ref.length; k++) {
      if (Number.isNaN(r.data[k]) || Number.isNaN(ref[k])) continue;
      s += Math.abs(r.data[k] - ref[k]);
      n++;
    }
    return s / n;
  };
  const d = meanAbs(hillshade(ll));
  assert.ok(d < 0.03, `mean |Δshade| ${d}`);
  // Treating degrees as metres (no CRS) flattens the terrain: far off.
  const noCrs = new Field({ name: 'z', grid: { ...ll.grid, crs: undefined }, data: ll.data });
  assert.ok(meanAbs(hillshade(noCrs)) > 0.2);
});
