/**
 * `udf run --zarr`: the results store opens with Debian's
 * `xarray.open_zarr(path)` (zarr-python 2) at default settings, without a
 * warning, and is identical (xarray.testing.assert_identical: dims, coords,
 * values bit for bit, every attribute but the history timestamp) to the
 * `<udf>.nc` of the same run, and each result equals its .npy dump (the
 * in-memory result) exactly. Input: a small NetCDF4 file written here, thk
 * over (time, y, x) with a 365_day `common_years since 0000-01-01` time axis
 * and y/x on EPSG:32632 — stddev gives sig results over y/x (grid mapping),
 * sumsig a nav result over time (time decoding). Format 3 is read back with
 * zarrita.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { createNetcdf } from '../../src/io/netcdf/index.js';
import { udfRunCli } from '../../src/udf/cli-run.js';
import { openZarrPeer } from '../helpers/xarray-zarr.js';

const BIN = fileURLToPath(new URL('../../bin/nunatak.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nk-udf-zarr-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'thk.nc');

const [NT, NY, NX] = [3, 4, 5];
async function writeInput(): Promise<void> {
  if (existsSync(input)) return;
  const w = await createNetcdf(input, {
    time: { units: 'common_years since 0000-01-01', calendar: '365_day' },
    dims: [
      { name: 'y', size: NY, values: [5100100, 5100300, 5100500, 5100700], attrs: { units: 'm', standard_name: 'projection_y_coordinate', axis: 'Y' } },
      { name: 'x', size: NX, values: [630100, 630300, 630500, 630700, 630900], attrs: { units: 'm', standard_name: 'projection_x_coordinate', axis: 'X' } },
    ],
    crs: 'EPSG:32632',
    variables: [{ name: 'thk', units: 'm', standardName: 'land_ice_thickness' }],
  });
  for (let t = 0; t < NT; t++) w.append(t * 10, { thk: Float32Array.from({ length: NY * NX }, (_, i) => Math.fround(Math.sin(i * 1.3 + t) * 40 + 100 + t)) });
}

const base = { dataset: input, variable: 'thk', executor: 'inline', progress: false };

test('udf run stddev --zarr (CLI): xarray.open_zarr reads results identical to the .nc and the .npy; units and grid_mapping crs', async () => {
  await writeInput();
  const out = join(dir, 'stddev');
  const r = spawnSync(process.execPath, [BIN, '--quiet', 'udf', 'run', 'stddev', '-d', input, '--variable', 'thk', '-e', 'inline', '--no-progress', '--zarr', '-o', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const v = openZarrPeer(join(out, 'stddev.zarr'), join(out, 'stddev.nc'), { std: join(out, 'stddev_std.npy'), var: join(out, 'stddev_var.npy') });
  assert.deepEqual(v.warnings, []);
  assert.equal(v.identical, 'yes');
  assert.deepEqual(v.npy, { std: true, var: true });
  assert.deepEqual(v.vars.std.dims, ['y', 'x']);
  assert.equal(v.vars.std.attrs.units, 'm');
  assert.equal(v.vars.var.attrs.units, 'm2');
  assert.equal(v.vars.std.attrs.grid_mapping, 'crs');
  assert.equal(v.vars.crs.attrs.epsg_code, 'EPSG:32632');
  assert.match(v.vars.crs.attrs.crs_wkt, /UTM zone 32N/);
  assert.deepEqual(v.coords, ['time', 'x', 'y']); // the input's time axis is kept, as in the .nc
});

test('udf run sumsig with zarr: the nav result keeps the 365_day time axis, identical to the .nc, equal to the .npy', async () => {
  await writeInput();
  const out = join(dir, 'sumsig');
  await udfRunCli({ ...base, udf: 'sumsig', out, zarr: true });
  const v = openZarrPeer(join(out, 'sumsig.zarr'), join(out, 'sumsig.nc'), { intensity: join(out, 'sumsig_intensity.npy') });
  assert.deepEqual(v.warnings, []);
  assert.equal(v.identical, 'yes');
  assert.deepEqual(v.npy, { intensity: true });
  assert.deepEqual(v.vars.intensity.dims, ['time']);
  assert.equal(v.vars.intensity.attrs.units, 'm');
  assert.deepEqual(v.time, { iso: ['0000-01-01T00:00:00', '0010-01-01T00:00:00', '0020-01-01T00:00:00'], calendar: '365_day', units: 'common_years since 0000-01-01' });
});

test('udf run --zarr --zarr-format 3: zarrita reads the same values, dimension names and units; a bad format is a CONFIG error', async () => {
  await writeInput();
  const out = join(dir, 'v3');
  await udfRunCli({ ...base, udf: 'stddev', out, zarr: true, zarrFormat: '3', netcdf: false });
  const store = new FileSystemStore(join(out, 'stddev.zarr'));
  const a = await zarr.open(zarr.root(store).resolve('std'), { kind: 'array' });
  assert.deepEqual(a.dimensionNames, ['y', 'x']);
  assert.equal(a.attrs.units, 'm');
  const got = await zarr.get(a as zarr.Array<'float64', FileSystemStore>);
  const npy = spawnSync('/usr/bin/python3', ['-c', `import numpy as np, sys; sys.stdout.write(np.load(sys.argv[1]).astype('<f8').tobytes().hex())`, join(out, 'stddev_std.npy')], { encoding: 'utf8' });
  assert.equal(npy.status, 0, npy.stderr);
  assert.equal(Buffer.from(new Float64Array(got.data as ArrayLike<number>).buffer).toString('hex'), npy.stdout);
  await assert.rejects(udfRunCli({ ...base, udf: 'stddev', out, zarr: true, zarrFormat: '4' }), { code: 'CONFIG', message: /--zarr-format must be 2 or 3, got '4'/ });
});
