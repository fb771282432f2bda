// Raster / outline / plot throughput, nunatak vs GDAL's command line tools on
// the same Hintereisferner inputs in the same run.
// Run: flock /tmp/nunatak-bench.lock npx tsx bench/geo.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { readGeoTiff, readOutline, rasterizeOutline, reprojectOutline, reprojectToGrid } from '../src/io/geo/index.js';
import { renderMap } from '../src/io/plot/index.js';
import { makeGrid } from '../src/core/field/grid.js';

const DEM = 'data/hintereisferner/hef_srtm.tif';
const RGI = 'data/hintereisferner/Hintereisferner_RGI6.shp';
const dir = mkdtempSync(join(tmpdir(), 'nunatak-bench-geo-'));

/** Best of `reps` wall-clock times in ms. */
async function best(reps: number, fn: () => unknown): Promise<number> {
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await fn();
    b = Math.min(b, performance.now() - t);
  }
  return b;
}
function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

const src = (await readGeoTiff(DEM)).field;
const rows: string[][] = [];
for (const res of [100, 25]) {
  const f = reprojectToGrid(src, 'EPSG:32632', res);
  const cells = f.grid.nx * f.grid.ny;
  const ours = await best(3, () => reprojectToGrid(src, 'EPSG:32632', res));
  const out = join(dir, `w${res}.tif`);
  const gdalExact = await best(3, () => run('gdalwarp', ['-q', '-overwrite', '-t_srs', 'EPSG:32632', '-tr', String(res), String(res), '-r', 'bilinear', '-et', '0', '-ot', 'Float32', DEM, out]));
  const gdalApprox = await best(3, () => run('gdalwarp', ['-q', '-overwrite', '-t_srs', 'EPSG:32632', '-tr', String(res), String(res), '-r', 'bilinear', '-ot', 'Float32', DEM, out]));
  rows.push([`reproject SRTM → UTM ${res} m (${f.grid.nx}×${f.grid.ny} = ${(cells / 1e6).toFixed(2)} M cells)`, ours.toFixed(0), `gdalwarp -et 0: ${gdalExact.toFixed(0)}; default -et 0.125: ${gdalApprox.toFixed(0)}`, (gdalExact / ours).toFixed(2)]);
}
const outline = await readOutline(RGI);
const shpUtm = join(dir, 'hef_utm.shp');
run('ogr2ogr', ['-t_srs', 'EPSG:32632', shpUtm, RGI]);
const utmOutline = reprojectOutline(outline, 'EPSG:32632');
for (const res of [10, 2]) {
  const nx = Math.round(6200 / res);
  const ny = Math.round(4100 / res);
  const grid = makeGrid({ nx, ny, x0: 631500 + res / 2, y0: 5186800 - res / 2, dx: res, dy: -res, crs: 'EPSG:32632' });
  const ours = await best(3, () => rasterizeOutline(utmOutline, grid));
  const g = await best(3, () => run('gdal_rasterize', ['-q', '-burn', '1', '-init', '0', '-ot', 'Byte', '-te', '631500', '5182700', '637700', '5186800', '-tr', String(res), String(res), shpUtm, join(dir, `m${res}.tif`)]));
  rows.push([`rasterise RGI outline at ${res} m (${nx}×${ny})`, ours.toFixed(1), `gdal_rasterize: ${g.toFixed(0)}`, (g / ours).toFixed(2)]);
}
const dem100 = reprojectToGrid(src, 'EPSG:32632', 100);
const mask = rasterizeOutline(outline, dem100.grid);
const map = await best(3, () => renderMap({ field: dem100, title: 'HEF', colormap: 'terrain', hillshade: true, contours: [{ field: mask, levels: [0.5] }] }));
rows.push(['renderMap 251×270 DEM, hillshade + contour → 712×654 PNG', map.toFixed(0), '—', '—']);

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}, 1 thread; best of 3, wall ms (GDAL times include process start)`);
console.log('| task | nunatak ms | GDAL ms | GDAL/nunatak |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
