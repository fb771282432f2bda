import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaOfUse, crsAreaWarning, glacierDomain, readOutline } from '../../src/io/geo/index.js';
import { setLogMode } from '../../src/core/log.js';
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

test('a CRS whose area of use does not hold the outline warns (UTM 33N for Hintereisferner at 10.7°E); the right zone does not', async () => {
  const o = await readOutline(RGI);
  assert.equal(crsAreaWarning(o, 'EPSG:32632'), undefined, 'UTM 32N covers 6–12°E');
  const w = crsAreaWarning(o, 'EPSG:32633');
  assert.ok(w, 'UTM 33N (12–18°E) does not hold 10.7°E');
  assert.match(w, /Hintereisferner_RGI6\.shp: the outline \(10\.73…10\.80°E, 46\.79…46\.82°N\) lies outside the area of use of EPSG:32633 \(WGS 84 \/ UTM zone 33N\): 12\.00…18\.00°E/);
  assert.match(crsAreaWarning(o, '+proj=utm +zone=31 +datum=WGS84') ?? '', /UTM zone 31N: 0\.00…6\.00°E/);
  assert.equal(crsAreaWarning(o, '+proj=utm +zone=32 +datum=WGS84'), undefined);
  assert.match(crsAreaWarning(o, '+proj=utm +zone=32 +south +datum=WGS84') ?? '', /UTM zone 32S/);
  // an area crossing the antimeridian (west > east): EPSG:3832 (PDC Mercator, 98.69°E…68°W) does not hold 10.7°E
  const a = areaOfUse('EPSG:3832');
  assert.ok(a && a.west > a.east, 'EPSG:3832 crosses the antimeridian');
  assert.ok(crsAreaWarning(o, 'EPSG:3832'));
  // glacierDomain says it on stderr and goes on
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stderr.write;
  setLogMode('normal');
  try {
    await glacierDomain({ dem: DEM, outline: RGI, crs: 'EPSG:32633', dx: 200, margin: 200 });
  } finally {
    process.stderr.write = write;
  }
  assert.equal(lines.filter((l) => /warn: .*outside the area of use of EPSG:32633/.test(l)).length, 1, lines.join(''));
});
