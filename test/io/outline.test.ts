import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGeoTiff } from '../../src/io/geo/geotiff.js';
import { reprojectToGrid } from '../../src/io/geo/reproject.js';
import { outlineArea, readOutline, reprojectOutline, type Outline } from '../../src/io/geo/outline.js';
import { rasterizeOutline } from '../../src/io/geo/rasterize.js';
import { makeGrid } from '../../src/core/field/grid.js';
import { isNunatakError } from '../../src/core/errors.js';
import { DEM, HEF, RGI, gdal, gdalValues, tmp } from './geo-helpers.js';

const RGI_AREA_KM2 = 8.036;

test('readOutline: RGI6 Hintereisferner polygon with nunatak holes and .dbf attributes', async () => {
  const o = await readOutline(RGI);
  assert.equal(o.features.length, 1);
  const f = o.features[0];
  assert.equal(f.properties.RGIId, 'RGI60-11.00897');
  assert.equal(f.properties.Area, RGI_AREA_KM2);
  assert.equal(f.polygons.length, 1);
  assert.equal(f.polygons[0].length, 6, 'outer ring + 5 holes');
  assert.match(o.crs ?? '', /^GEOGCS\["GCS_WGS_1984"/);
  // Area in UTM 32N vs the RGI attribute (computed by RGI in an equal-area projection): within 1 %.
  const km2 = outlineArea(reprojectOutline(o, 'EPSG:32632')) / 1e6;
  assert.ok(Math.abs(km2 / RGI_AREA_KM2 - 1) < 0.01, `${km2} km²`);
});

test('RGI outline rasterised on the 100 m UTM DEM grid: area and elevations match RGI', async () => {
  const dem = reprojectToGrid((await readGeoTiff(DEM)).field, 'EPSG:32632', 100);
  const mask = rasterizeOutline(await readOutline(RGI), dem.grid);
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < mask.data.length; k++) {
    assert.ok(mask.data[k] === 0 || mask.data[k] === 1);
    if (mask.data[k] === 1) {
      n++;
      lo = Math.min(lo, dem.data[k]);
      hi = Math.max(hi, dem.data[k]);
    }
  }
  const km2 = (n * 100 * 100) / 1e6;
  assert.ok(Math.abs(km2 / RGI_AREA_KM2 - 1) < 0.05, `mask area ${km2} km² vs RGI ${RGI_AREA_KM2}`);
  // RGI: Zmin 2430, Zmax 3674 m (2003 outline on the 2000 SRTM; 100 m cells smooth the extremes).
  assert.ok(lo > 2400 && lo < 2500, `min inside ${lo}`);
  assert.ok(hi > 3600 && hi < 3700, `max inside ${hi}`);
});

test('rasterizeOutline agrees with gdal_rasterize (cell-centre rule) on the same grid', async () => {
  const dir = tmp('rast');
  const utmShp = join(dir, 'hef_utm.shp');
  gdal('ogr2ogr', ['-t_srs', 'EPSG:32632', utmShp, RGI]);
  const grid = makeGrid({ nx: 124, ny: 82, x0: 631525, y0: 5186775, dx: 50, dy: -50, crs: 'EPSG:32632' });
  const out = join(dir, 'mask.tif');
  const te = [grid.x0 - 25, grid.y0 + grid.ny * grid.dy + 25, grid.x0 - 25 + grid.nx * grid.dx, grid.y0 + 25].map(String);
  gdal('gdal_rasterize', ['-q', '-burn', '1', '-init', '0', '-ot', 'Byte', '-te', ...te, '-tr', '50', '50', utmShp, out]);
  const ref = gdalValues(out);
  assert.equal(ref.values.length, grid.nx * grid.ny);
  const ours = rasterizeOutline(await readOutline(RGI), grid);
  let diff = 0;
  let inside = 0;
  for (let k = 0; k < ref.values.length; k++) {
    if (ref.values[k] !== ours.data[k]) diff++;
    inside += ref.values[k];
  }
  assert.ok(inside > 2500, `${inside} cells inside`);
  // Both use vertex-wise reprojection and the cell-centre rule: measured identical
  // (0 of 10 168 cells); allow 5 cells for centres within rounding of an edge.
  assert.ok(diff <= 5, `${diff} cells differ`);
});

test('rasterizeOutline: holes and multipolygons (analytic cell counts)', () => {
  const sq = (x0: number, y0: number, s: number): Array<[number, number]> => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
  const outline: Outline = {
    source: 'synthetic',
    crs: undefined,
    features: [
      // 10×10 square with a 4×4 hole, plus a separate 3×3 square: 100 - 16 + 9 = 93 unit cells.
      { properties: {}, polygons: [[sq(0, 0, 10), sq(3, 3, 4)], [sq(20, 0, 3)]] },
    ],
  };
  const grid = makeGrid({ nx: 30, ny: 12, x0: 0.5, y0: 11.5, dx: 1, dy: -1 });
  const m = rasterizeOutline(outline, grid);
  assert.equal(m.data.reduce((s, v) => s + v, 0), 93);
  const at = (x: number, y: number) => m.data[Math.round((y - 11.5) / -1) * 30 + Math.round(x - 0.5)];
  assert.equal(at(5.5, 5.5), 0, 'hole');
  assert.equal(at(1.5, 1.5), 1);
  assert.equal(at(21.5, 1.5), 1, 'second polygon');
  assert.equal(at(15.5, 1.5), 0);
  assert.equal(outlineArea(outline), 93);
});

test('readOutline: bad input gives clear errors', async () => {
  const dir = tmp('badshp');
  await assert.rejects(readOutline(join(dir, 'none.shp')), (e) => isNunatakError(e, 'NOT_FOUND') && /none\.shp/.test(e.message));
  const junk = join(dir, 'junk.shp');
  writeFileSync(junk, Buffer.alloc(200, 7));
  await assert.rejects(readOutline(junk), (e) => isNunatakError(e, 'IO') && /not an ESRI shapefile/.test(e.message));
  // Copy with a .prj nunatak cannot interpret.
  for (const ext of ['shp', 'shx', 'dbf']) copyFileSync(`${HEF}/Hintereisferner_RGI6.${ext}`, join(dir, `odd.${ext}`));
  writeFileSync(join(dir, 'odd.prj'), 'LOCAL_CS["site grid",UNIT["metre",1]]');
  await assert.rejects(readOutline(join(dir, 'odd.shp')), (e) => isNunatakError(e, 'INPUT') && /odd\.prj: cannot read CRS/.test(e.message));
  // Without a .prj: readable, but cannot be matched to a projected grid.
  for (const ext of ['shp', 'shx', 'dbf']) copyFileSync(`${HEF}/Hintereisferner_RGI6.${ext}`, join(dir, `noprj.${ext}`));
  const o = await readOutline(join(dir, 'noprj.shp'));
  assert.equal(o.crs, undefined);
  const grid = makeGrid({ nx: 2, ny: 2, x0: 0, y0: 0, dx: 1, dy: 1, crs: 'EPSG:32632' });
  assert.throws(() => rasterizeOutline(o, grid), (e) => isNunatakError(e, 'INPUT') && /outline has no CRS/.test(e.message));
  assert.ok(readFileSync(RGI).length > 100);
});
