// NetCDF4/HDF5 variable as a dataset, and the HadCM3 example, against
// netCDF4-python + NumPy on the same file (peer). Tolerances: float32 data,
// float64 accumulation in both: rtol 1e-9 for means/std, 1e-6 for weighted means
// (weights are float32 in nunatak, float64 in NumPy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Hdf5Dataset } from '../../src/udf/dataset/hdf5.js';
import { analyse } from '../../examples/udf-hadcm3/analyse.js';
import { assertClose } from './helpers.js';

const NC = fileURLToPath(new URL('../../data/udf/A1B_north_america.nc', import.meta.url));

test('HadCM3 example: regional means and period statistics equal netCDF4 + NumPy', async (t) => {
  const peer = `
import json, numpy as np, netCDF4
d = netCDF4.Dataset('${NC}')
T = d['air_temperature'][:].astype(np.float64).filled(np.nan)
lat = d['latitude'][:].astype(np.float64); lon = d['longitude'][:].astype(np.float64)
w = np.where(((lat>=40)&(lat<=50))[:,None] & ((lon>=250)&(lon<=270))[None,:], np.cos(np.deg2rad(lat))[:,None], 0.0)
w /= w.sum()
reg = (T*w).sum(axis=(1,2))
e = T[:30]; l = T[-30:]
print(json.dumps({'reg': reg.tolist(), 'emean': e.mean(0).ravel().tolist(), 'estd': e.std(0).ravel().tolist(), 'warm': (l.mean(0)-e.mean(0)).ravel().tolist()}))
`;
  const py = spawnSync('/usr/bin/python3', ['-c', peer], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0 && /No module named/.test(py.stderr)) {
    t.skip('python3-netcdf4 not installed');
    return;
  }
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout) as Record<string, number[]>;
  const r = await analyse(NC, { lat: [40, 50], lon: [250, 270] }, 'inline');
  assertClose(r.regionalMean, ref.reg, 1e-6, 0, 'regional mean');
  assertClose(r.earlyMean, ref.emean, 1e-9, 0, 'early mean');
  assertClose(r.earlyStd, ref.estd, 1e-6, 1e-9, 'early std');
  assertClose(r.warming, ref.warm, 1e-9, 1e-9, 'warming');
  assert.ok(r.warming.every((v) => v > 0), 'A1B warms everywhere');
});

test('HDF5 dataset: shape and errors name the file and variable', async () => {
  const ds = await Hdf5Dataset.open({ path: NC, variable: 'air_temperature' });
  assert.deepEqual([ds.navShape, ds.sigShape, ds.dtype], [[240], [37, 49], 'float32']);
  ds.close();
  await assert.rejects(Hdf5Dataset.open({ path: NC, variable: 'air_temp' }), /has no variable 'air_temp' — did you mean 'air_temperature'/);
  await assert.rejects(Hdf5Dataset.open({ path: NC, variable: 'air_temperature', sigDims: 3 }), /sigDims 3 leaves no nav axis/);
  await assert.rejects(Hdf5Dataset.open({ path: NC + '.nope', variable: 'x' }), /cannot open HDF5\/NetCDF4 file/);
});
