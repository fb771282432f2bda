import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glacierDomain } from '../../src/io/geo/index.js';
import { isNunatakError } from '../../src/core/errors.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { Field } from '../../src/core/field/field.js';
import { writeGeoTiff } from '../../src/io/geo/index.js';
import { join } from 'node:path';
import { DEM, RGI, tmp } from './geo-helpers.js';

test('glacierDomain: Hintereisferner usurf + icemask on a 100 m UTM grid with 1 km margin', async () => {
  const d = await glacierDomain({ dem: DEM, outline: RGI, crs: 'EPSG:32632', dx: 100, margin: 1000 });
  const g = d.usurf.grid;
  assert.deepEqual(d.icemask.grid, g);
  // Outline extent in UTM 32N is 631650–637560 E, 5182830–5186640 N (ogrinfo); +1 km, snapped to 100 m.
  assert.equal(g.x0 - 50, 630600);
  assert.equal(g.x0 - 50 + g.nx * 100, 638600);
  assert.equal(g.y0 + 50, 5187700);
  assert.equal(g.y0 + 50 - g.ny * 100, 5181800);
  assert.ok(d.usurf.data.every((v) => !Number.isNaN(v)), 'the DEM covers the whole domain');
  const cells = d.icemask.data.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(cells / 100 / 8.036 - 1) < 0.05, `${cells} ice cells`);
  assert.equal(d.usurf.standardName, 'surface_altitude');
});

test('glacierDomain: DEM that misses the glacier → clear error', async () => {
  const dir = tmp('dom');
  const far = join(dir, 'far.tif');
  const grid = makeGrid({ nx: 10, ny: 10, x0: 600050, y0: 5200950, dx: 100, dy: -100, crs: 'EPSG:32632' });
  writeGeoTiff(far, new Field({ name: 'z', grid, units: 'm', data: new Float32Array(100).fill(2000) }));
  await assert.rejects(glacierDomain({ dem: far, outline: RGI, crs: 'EPSG:32632', dx: 100 }), (e) => isNunatakError(e, 'INPUT') && /does not cover outline/.test(e.message) && e.message.includes('far.tif'));
});
