// A NetCDF variable (NetCDF4/HDF5 and NetCDF3 classic, read through
// src/io/netcdf) as a dataset, the HadCM3 example on both formats, and
// `udf run`'s NetCDF output, against netCDF4-python + NumPy on the same file
// (peer). Tolerances: float32 data,
// float64 accumulation in both: rtol 1e-9 for means/std, 1e-6 for weighted means
// (weights are float32 in nunatak, float64 in NumPy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetcdfDataset } from '../../src/udf/dataset/netcdf.js';
import { analyse } from '../../examples/udf-hadcm3/analyse.js';
import { assertClose } from './helpers.js';

const NC = fileURLToPath(new URL('../../data/udf/A1B_north_america.nc', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/nunatak.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nk-udf-nc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const py = (code: string) => spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
const hasNetcdf4 = py('import netCDF4').status === 0;

/** The HadCM3 file rewritten by netCDF4-python as NETCDF3_CLASSIC (same values, dims, attributes). */
function nc3Copy(): string {
  const out = join(dir, 'hadcm3_classic.nc');
  const r = py(`
import netCDF4
s = netCDF4.Dataset('${NC}'); d = netCDF4.Dataset('${out}', 'w', format='NETCDF3_CLASSIC')
for n, dim in s.dimensions.items(): d.createDimension(n, None if dim.isunlimited() else len(dim))
for n, v in s.variables.items():
    w = d.createVariable(n, v.dtype, v.dimensions)
    w.setncatts({k: v.getncattr(k) for k in v.ncattrs() if k != '_FillValue'})
    w[...] = v[...]
d.close()
`);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

test('HadCM3 example (NetCDF4 and NetCDF3 classic): regional means and period statistics equal netCDF4 + NumPy', { skip: !hasNetcdf4 && 'python3-netcdf4 not installed' }, async () => {
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
  const p = py(peer);
  assert.equal(p.status, 0, p.stderr);
  const ref = JSON.parse(p.stdout) as Record<string, number[]>;
  for (const [path, kind] of [[NC, 'inline'], [nc3Copy(), 'threads']] as const) {
    const r = await analyse(path, { lat: [40, 50], lon: [250, 270] }, kind);
    assertClose(r.regionalMean, ref.reg, 1e-6, 0, `regional mean ${path}`);
    assertClose(r.earlyMean, ref.emean, 1e-9, 0, `early mean ${path}`);
    assertClose(r.earlyStd, ref.estd, 1e-6, 1e-9, `early std ${path}`);
    assertClose(r.warming, ref.warm, 1e-9, 1e-9, `warming ${path}`);
    assert.ok(r.warming.every((v) => v > 0), 'A1B warms everywhere');
  }
});

test('NetCDF3 packed int16 with _FillValue: CF-decoded frames (NaN for fill) equal netCDF4-python', { skip: !hasNetcdf4 && 'python3-netcdf4 not installed' }, async () => {
  const path = join(dir, 'packed.nc');
  // 5 × 3 × 4 int16, scale 0.5, offset 10, every 7th value missing; netCDF4 masks and unpacks.
  const r = py(`
import json, numpy as np, netCDF4
d = netCDF4.Dataset('${path}', 'w', format='NETCDF3_CLASSIC')
d.createDimension('t', None); d.createDimension('y', 3); d.createDimension('x', 4)
v = d.createVariable('h', 'i2', ('t', 'y', 'x'), fill_value=-999)
v.scale_factor = 0.5; v.add_offset = 10.0; v.set_auto_maskandscale(False)
raw = (np.arange(60).reshape(5, 3, 4) * 3 - 40).astype('i2'); raw.flat[::7] = -999
v[:] = raw; d.close()
a = netCDF4.Dataset('${path}')['h'][:].astype(np.float64).filled(np.nan)
print(json.dumps([None if np.isnan(x) else x for x in a.ravel().tolist()]))
`);
  assert.equal(r.status, 0, r.stderr);
  const ref = (JSON.parse(r.stdout) as Array<number | null>).map((x) => (x === null ? NaN : x));
  const ds = await NetcdfDataset.open({ path, variable: 'h' });
  assert.deepEqual([ds.navShape, ds.sigShape, ds.dtype], [[5], [3, 4], 'float32']);
  const out = new Float32Array(60);
  ds.readFrames(1, 3, out, 12); // frames 1..3 → positions 12..47
  ds.readFrames(0, 1, out, 0);
  ds.readFrames(4, 1, out, 48);
  ds.close();
  assert.deepEqual(Array.from(out), ref); // exact: float32 of (int16 · 0.5 + 10) is exact here
});

test('udf run on a NetCDF3 file writes CF NetCDF4 results that ncdump and netCDF4-python read', { skip: !hasNetcdf4 && 'python3-netcdf4 not installed' }, () => {
  const src = nc3Copy();
  const out = join(dir, 'cli');
  for (const u of ['stddev', 'sumsig']) {
    const r = spawnSync(process.execPath, [BIN, 'udf', 'run', u, '-d', src, '--variable', 'air_temperature', '-e', 'inline', '--no-progress', '-o', out], {
      encoding: 'utf8',
      env: { ...process.env, NUNATAK_QUIET: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
  }
  const head = spawnSync('ncdump', ['-h', join(out, 'sumsig.nc')], { encoding: 'utf8' });
  if (head.error === undefined) {
    assert.equal(head.status, 0, head.stderr);
    assert.match(head.stdout, /time = UNLIMITED ; \/\/ \(240 currently\)/);
    assert.match(head.stdout, /double intensity\(time\)/);
    assert.match(head.stdout, /time:calendar = "360_day"/);
    assert.match(head.stdout, /:Conventions = "CF-1.8"/);
  }
  const check = py(`
import json, numpy as np, netCDF4
s = netCDF4.Dataset('${src}'); T = s['air_temperature'][:].astype(np.float64)
a = netCDF4.Dataset('${join(out, 'stddev.nc')}'); b = netCDF4.Dataset('${join(out, 'sumsig.nc')}')
res = {
  'dims': list(a['std'].dimensions), 'lat': bool(np.array_equal(a['latitude'][:], s['latitude'][:])),
  'latunits': a['latitude'].units, 'time': bool(np.array_equal(b['time'][:], s['time'][:])),
  'cal': b['time'].calendar, 'std': float(np.max(np.abs(a['std'][:] - T.std(0)) / T.std(0))),
  'mean': float(np.max(np.abs(a['mean'][:] - T.mean(0)) / np.abs(T.mean(0)))),
  'sum': float(np.max(np.abs(b['intensity'][:] - T.sum((1, 2))) / np.abs(T.sum((1, 2))))),
  'long_name': b['intensity'].long_name,
}
print(json.dumps(res))
`);
  assert.equal(check.status, 0, check.stderr);
  const c = JSON.parse(check.stdout) as Record<string, unknown>;
  assert.deepEqual(c.dims, ['latitude', 'longitude']);
  assert.equal(c.lat, true);
  assert.equal(c.latunits, 'degrees_north');
  assert.equal(c.time, true);
  assert.equal(c.cal, '360_day');
  assert.match(String(c.long_name), /sumsig intensity of air_temperature/);
  // float32 results of float64 accumulations vs NumPy float64: float32 rounding.
  assert.ok((c.std as number) < 1e-6 && (c.mean as number) < 1e-6 && (c.sum as number) < 1e-6, JSON.stringify(c));
});



test('NetCDF dataset: shape and errors name the file and variable', async () => {
  const ds = await NetcdfDataset.open({ path: NC, variable: 'air_temperature' });
  assert.deepEqual([ds.navShape, ds.sigShape, ds.dtype], [[240], [37, 49], 'float32']);
  ds.close();
  await assert.rejects(NetcdfDataset.open({ path: NC, variable: 'air_temp' }), /A1B_north_america\.nc: no variable 'air_temp' — did you mean 'air_temperature'/);
  await assert.rejects(NetcdfDataset.open({ path: NC, variable: 'air_temperature', sigDims: 3 }), /sigDims 3 leaves no nav axis/);
  await assert.rejects(NetcdfDataset.open({ path: NC + '.nope', variable: 'x' }), /\.nope: no such file/);
});
