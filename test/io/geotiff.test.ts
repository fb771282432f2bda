import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { readGeoTiff } from '../../src/io/geo/geotiff.js';
import { writeGeoTiff } from '../../src/io/geo/write-geotiff.js';
import { parseWorldFile } from '../../src/io/geo/worldfile.js';
import { Field } from '../../src/core/field/field.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { isNunatakError } from '../../src/core/errors.js';
import { DEM, HEF, gdal, gdalValues, tmp } from './geo-helpers.js';

test('readGeoTiff: SRTM DEM georeferencing and values agree with GDAL', async () => {
  const r = await readGeoTiff(DEM);
  assert.equal(r.georef, 'geokeys');
  assert.equal(r.crs, 'EPSG:4326');
  const info = JSON.parse(gdal('gdalinfo', ['-json', DEM])) as { geoTransform: number[]; size: number[] };
  assert.deepEqual([r.field.grid.nx, r.field.grid.ny], info.size);
  // Geotransform from GeoKeys vs gdalinfo: same doubles up to 1e-12 degrees.
  r.transform.forEach((v, k) => assert.ok(Math.abs(v - info.geoTransform[k]) < 1e-12, `gt[${k}] ${v} vs ${info.geoTransform[k]}`));
  // Every pixel value vs GDAL's own decoding (exact: int16 elevations).
  const asc = gdalValues(DEM);
  assert.equal(asc.values.length, r.field.data.length);
  for (let k = 0; k < asc.values.length; k++) assert.equal(r.field.data[k], asc.values[k], `pixel ${k}`);
  assert.equal(r.field.units, 'm');
});

test('readGeoTiff: .tfw world file gives the same grid as the GeoKeys', async () => {
  const keys = await readGeoTiff(DEM, { georef: 'geokeys' });
  const wf = await readGeoTiff(DEM, { georef: 'worldfile', crs: 'EPSG:4326' });
  assert.equal(wf.georef, 'worldfile');
  for (const k of ['x0', 'y0', 'dx', 'dy'] as const) {
    // The .tfw is written with 9 decimals: agree to 1e-9 degrees (~0.1 mm).
    assert.ok(Math.abs(keys.field.grid[k] - wf.field.grid[k]) < 1e-9, `${k}: ${keys.field.grid[k]} vs ${wf.field.grid[k]}`);
  }
  // World file: (C, F) is the upper-left pixel CENTRE, the geotransform uses its corner.
  assert.deepEqual(parseWorldFile('2\n0\n0\n-3\n101\n198\n', 'x.tfw'), [100, 2, 0, 199.5, 0, -3]);
});

test('readGeoTiff: plain TIFF needs a world file; with .tfw + .prj it is georeferenced', async () => {
  const dir = tmp('tfw');
  const plain = join(dir, 'plain.tif');
  gdal('gdal_translate', ['-q', '-co', 'PROFILE=BASELINE', DEM, plain]);
  await assert.rejects(readGeoTiff(plain), (e) => isNunatakError(e, 'INPUT') && /no georeferencing/.test(e.message) && e.message.includes(plain));
  copyFileSync(`${HEF}/hef_srtm.tfw`, join(dir, 'plain.tfw'));
  writeFileSync(join(dir, 'plain.prj'), readFileSync(`${HEF}/Hintereisferner_RGI6.prj`, 'utf8'));
  const r = await readGeoTiff(plain);
  assert.equal(r.georef, 'worldfile');
  assert.match(r.crs ?? '', /^GEOGCS/);
  assert.ok(Math.abs(r.field.grid.x0 - 10.605394245) < 1e-12);
});

test('readGeoTiff: bad input gives clear errors', async () => {
  const dir = tmp('badtif');
  await assert.rejects(readGeoTiff(join(dir, 'missing.tif')), (e) => isNunatakError(e, 'NOT_FOUND') && /missing\.tif/.test(e.message));
  const txt = join(dir, 'notatiff.tif');
  writeFileSync(txt, 'this is not a tiff\n');
  await assert.rejects(readGeoTiff(txt), (e) => isNunatakError(e, 'IO') && /not a TIFF/.test(e.message));
  const trunc = join(dir, 'trunc.tif');
  writeFileSync(trunc, readFileSync(DEM).subarray(0, 2000));
  // the DEM's image directory is at its end: cut anywhere, it is past the end
  await assert.rejects(readGeoTiff(trunc), (e) => isNunatakError(e, 'IO') && e.message.includes(`${trunc}: file is truncated: 2000 bytes, but its image directory starts at byte`));
  // directory first (geotiff.js writes it so), strips cut: 100 × 80 float32 = 32000 data bytes end at byte 33000
  const stripsFirst = Buffer.from(writeArrayBuffer(new Float32Array(100 * 80), {
    width: 100, height: 80, BitsPerSample: [32], SampleFormat: [3],
    ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 1000, 2000, 0], GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32632,
  }));
  assert.equal(stripsFirst.length, 33000);
  const cutData = join(dir, 'cut-data.tif');
  writeFileSync(cutData, stripsFirst.subarray(0, 28000));
  await assert.rejects(readGeoTiff(cutData), (e) => isNunatakError(e, 'IO') && e.message === `${cutData}: file is truncated: 28000 bytes, expected at least 33000 (where its image data ends)`);
  // A GeoTIFF whose ProjectedCSTypeGeoKey is a code the EPSG registry does not have.
  const unk = join(dir, 'unknown_crs.tif');
  const buf = writeArrayBuffer(new Float32Array(6), {
    width: 3, height: 2, BitsPerSample: [32], SampleFormat: [3],
    ModelPixelScale: [10, 10, 0], ModelTiepoint: [0, 0, 0, 1000, 2000, 0], GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 30000,
  });
  writeFileSync(unk, Buffer.from(buf));
  await assert.rejects(readGeoTiff(unk), (e) => isNunatakError(e, 'INPUT') && /unknown CRS EPSG:30000/.test(e.message) && e.message.includes(unk));
  await assert.rejects(readGeoTiff(DEM, { band: 3 }), (e) => isNunatakError(e, 'INPUT') && /band 3/.test(e.message));
});

test('writeGeoTiff: gdalinfo agrees on geotransform, CRS and nodata; values round-trip', async () => {
  const dir = tmp('wtif');
  const grid = makeGrid({ nx: 5, ny: 4, x0: 622050, y0: 5196950, dx: 100, dy: -100, crs: 'EPSG:32632' });
  const data = Float32Array.from({ length: 20 }, (_, k) => 2400 + 12.5 * k);
  data[7] = NaN;
  const path = join(dir, 'out.tif');
  writeGeoTiff(path, new Field({ name: 'thk', grid, units: 'm', data }));
  const info = JSON.parse(gdal('gdalinfo', ['-json', path])) as { geoTransform: number[]; coordinateSystem: { wkt: string }; bands: Array<{ noDataValue: number; type: string }> };
  assert.deepEqual(info.geoTransform, [622000, 100, 0, 5197000, 0, -100]);
  assert.match(info.coordinateSystem.wkt, /UTM zone 32N/);
  assert.equal(info.bands[0].noDataValue, -9999);
  assert.equal(info.bands[0].type, 'Float32');
  const back = await readGeoTiff(path);
  assert.deepEqual(back.field.grid, grid);
  for (let k = 0; k < 20; k++) assert.ok(Object.is(back.field.data[k], data[k]) || back.field.data[k] === data[k]);
  const asc = gdalValues(path);
  assert.equal(asc.values[7], -9999);
  assert.equal(asc.values[19], 2400 + 12.5 * 19);
  assert.throws(() => writeGeoTiff(join(dir, 'x.tif'), new Field({ name: 'a', grid: { ...grid, crs: '+proj=utm +zone=32' } })), (e) => isNunatakError(e, 'INPUT') && /not an EPSG code/.test(e.message));
});

test('readGeoTiff: tiled DEFLATE and PixelIsPoint variants written by GDAL read the same', async () => {
  const dir = tmp('variants');
  const base = await readGeoTiff(DEM);
  const tiled = join(dir, 'tiled.tif');
  gdal('gdal_translate', ['-q', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=128', '-co', 'BLOCKYSIZE=128', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', DEM, tiled]);
  const t = await readGeoTiff(tiled);
  assert.deepEqual(t.field.grid, base.field.grid);
  assert.deepEqual(t.field.data, base.field.data);
  // PixelIsPoint: GDAL stores the tiepoint at the pixel centre; the grid must not move.
  const point = join(dir, 'point.tif');
  gdal('gdal_translate', ['-q', '-mo', 'AREA_OR_POINT=Point', DEM, point]);
  const p = await readGeoTiff(point);
  const info = JSON.parse(gdal('gdalinfo', ['-json', point])) as { geoTransform: number[] };
  p.transform.forEach((v, k) => assert.ok(Math.abs(v - info.geoTransform[k]) < 1e-12, `gt[${k}] ${v} vs ${info.geoTransform[k]}`));
  assert.ok(Math.abs(p.field.grid.x0 - base.field.grid.x0) < 1e-12);
  assert.ok(Math.abs(p.field.grid.y0 - base.field.grid.y0) < 1e-12);
});
