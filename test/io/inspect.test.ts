/**
 * `nunatak inspect`: for NetCDF3 files the CDL header equals `ncdump -h`
 * line for line (after dropping nunatak's "// format" comment); NetCDF4 files
 * show the same dimensions and variable declarations as ncdump; statistics
 * equal NumPy's nanmin/nanmax/nanmean (to the printed digits); unsupported
 * files and unknown variables exit 2 with a clear message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../src/io/npy/npy.js';
import { PEER, py, tempDir } from './peer.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/nunatak.js', 'inspect', ...args], { encoding: 'utf8', timeout: 120000 });
const ncdumpH = (p: string) => spawnSync('ncdump', ['-h', p], { encoding: 'utf8' }).stdout;
const strip = (s: string) => s.split('\n').filter((l) => !/^\/\/ format:|\/\/ storage:/.test(l.trim())).join('\n').trim();

test('inspect of NetCDF3 files equals ncdump -h', (t) => {
  const p3 = join(tempDir(t), 'peer3.nc');
  py([PEER, 'write3', p3]);
  for (const p of ['data/netcdf/histalp_merged_hef.nc', p3]) {
    const r = cli(p);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\/\/ format: netcdf3-classic/);
    assert.equal(strip(r.stdout), ncdumpH(p).trim());
  }
});

test('inspect of NetCDF4 files shows the same dimensions and variables as ncdump -h, and stats', () => {
  const p = 'data/netcdf/A1B_north_america.nc';
  const r = cli(p, '--stats', 'air_temperature');
  assert.equal(r.status, 0, r.stderr);
  const decl = (s: string) => s.split('\n').filter((l) => /^\t\S/.test(l) || /UNLIMITED/.test(l));
  assert.deepEqual(decl(strip(r.stdout)), decl(ncdumpH(p)));
  const want = JSON.parse(
    py(['-c', `import netCDF4, numpy as np, json\na = np.ma.filled(netCDF4.Dataset('${p}')['air_temperature'][:].astype('f8'), np.nan)\nprint(json.dumps([float(np.nanmin(a)), float(np.nanmax(a)), float(np.nanmean(a))]))`]),
  ) as number[];
  const m = /air_temperature: (\d+) values, 0 NaN; min (\S+) K, max (\S+) K, mean (\S+) K/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(Number(m[1]), 240 * 37 * 49);
  assert.equal(Number(m[2]), Number(want[0].toPrecision(7)));
  assert.equal(Number(m[3]), Number(want[1].toPrecision(7)));
  assert.ok(Math.abs(Number(m[4]) - want[2]) < 1e-5 * want[2], `mean ${m[4]} vs ${want[2]}`);
});

test('inspect of .npy, and errors', (t) => {
  const dir = tempDir(t);
  const f = join(dir, 'a.npy');
  writeNpy(f, Float32Array.from([1, NaN, 3, 4.5, -2, 0]), [2, 3]);
  const r = cli(f, '--stats');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /float32 array\(2, 3\) ; \/\/ 6 values/);
  assert.match(r.stdout, /array: 5 values, 1 NaN; min -2, max 4\.5, mean 1\.3/);
  const txt = join(dir, 'notes.txt');
  writeFileSync(txt, 'hello');
  const bad = cli(txt);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /notes\.txt: unsupported file type/);
  const tif = join(dir, 'dem.tif');
  writeFileSync(tif, Buffer.from('II*\0\x08\0\0\0', 'latin1'));
  const badTif = cli(tif);
  assert.equal(badTif.status, 2);
  assert.match(badTif.stderr, /dem\.tif/);
  const miss = cli('data/netcdf/histalp_merged_hef.nc', '--stats', 'tmp');
  assert.equal(miss.status, 2);
  assert.match(miss.stderr, /no variable 'tmp' — did you mean 'temp'/);
});

test('inspect of a GeoTIFF agrees with gdalinfo on size and geotransform', () => {
  const tif = 'data/hintereisferner/hef_srtm.tif';
  const r = cli(tif, '--stats');
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(spawnSync('gdalinfo', ['-json', tif], { encoding: 'utf8' }).stdout);
  assert.match(r.stdout, new RegExp(`size: x = ${info.size[0]}, y = ${info.size[1]}`));
  const gt = r.stdout.match(/geotransform: \[([^\]]+)\]/)![1].split(',').map(Number);
  gt.forEach((v, i) => assert.ok(Math.abs(v - info.geoTransform[i]) < 1e-9, `geotransform[${i}] ${v} vs gdal ${info.geoTransform[i]}`));
  assert.match(r.stdout, /band 1: \d+ values, 0 NaN; min \d+/);
});

test('inspect --plot renders a field slice to a PNG; bad --time is a clear error', async (t) => {
  const { PNG } = await import('pngjs');
  const { readFileSync } = await import('node:fs');
  const out = join(tempDir(t), 'a1b.png');
  const r = cli('data/netcdf/A1B_north_america.nc', '--plot', 'air_temperature', '--time', '3', '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const png = PNG.sync.read(readFileSync(out));
  // 49 × 37 cells scaled to fit ~560 px plus margins and colorbar: wider than tall.
  assert.ok(png.width > 500 && png.height > 400 && png.width > png.height, `${png.width}×${png.height}`);
  const bad = cli('data/netcdf/A1B_north_america.nc', '--plot', 'air_temperature', '--time', '999', '-o', out);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--time 999 is outside variable 'air_temperature' \(time has 240 entries\)/);
  const noVar = cli('data/netcdf/A1B_north_america.nc', '--plot', '-o', out);
  assert.equal(noVar.status, 2);
  assert.match(noVar.stderr, /--plot needs a variable name/);
});
