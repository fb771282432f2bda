/**
 * Real data (data/netcdf, see PROVENANCE.md): nunatak's values equal
 * netCDF4-python's for the HISTALP NetCDF3 file and the HadCM3 NetCDF4 file —
 * exact equality for float32 data, coordinates and time values; dates equal
 * cftime's (standard and 360_day calendars).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { findXY, gridOf } from '../../src/io/netcdf/coords.js';
import { formatCfDate } from '../../src/io/netcdf/cf-time.js';
import { py } from './peer.js';

function peerSlab(path: string, expr: string): number[] {
  const code = `import netCDF4, json, numpy as np\nd = netCDF4.Dataset(${JSON.stringify(path)})\na = np.ma.filled(np.ma.asarray(${expr}, dtype='f8'), np.nan).ravel()\nprint(json.dumps([None if np.isnan(x) else float(x) for x in a]))`;
  return JSON.parse(py(['-c', code]));
}
function peerTimes(path: string, idx: string): string[] {
  const code = `import netCDF4, json\nd = netCDF4.Dataset(${JSON.stringify(path)})\nt = d['time']\nprint(json.dumps([str(x) for x in netCDF4.num2date(t[${idx}], t.units, getattr(t, 'calendar', 'standard'))]))`;
  return JSON.parse(py(['-c', code]));
}

test('HISTALP NetCDF3 (Hintereisferner) matches netCDF4-python', async () => {
  const path = 'data/netcdf/histalp_merged_hef.nc';
  const ds = await openDataset(path);
  assert.equal(ds.format, 'netcdf3-classic');
  assert.deepEqual(ds.dims.map((d) => [d.name, d.size, d.unlimited]), [['time', 2424, true], ['lat', 3, false], ['lon', 3, false]]);
  assert.equal(ds.variable('temp').attrs.units, 'degC');
  assert.deepEqual(Array.from(ds.read('temp', { start: [1000, 0, 0], count: [12, 3, 3] }).data), peerSlab(path, "d['temp'][1000:1012, :, :]"));
  assert.deepEqual(Array.from(ds.read('prcp', { start: [2400, 1, 2], count: [24, 1, 1] }).data), peerSlab(path, "d['prcp'][2400:2424, 1, 2]"));
  assert.deepEqual(Array.from(ds.read('hgt').data), peerSlab(path, "d['hgt'][:]"));
  const whole = ds.read('temp');
  assert.equal(whole.data.length, 2424 * 9);
  assert.deepEqual(Array.from(whole.data.subarray(0, 90)), peerSlab(path, "d['temp'][0:10]"));
  const times = ds.readTimes('time');
  assert.deepEqual([0, 1, 1000, 2423].map((i) => formatCfDate(times[i]!)), peerTimes(path, '[0, 1, 1000, 2423]'));
  const c = findXY(ds, 'temp');
  assert.equal(c.xName, 'lon');
  assert.equal(c.yName, 'lat');
  assert.equal(c.kind, 'geographic');
  ds.close();
});

test('HadCM3 A1B NetCDF4 matches netCDF4-python', async () => {
  const path = 'data/netcdf/A1B_north_america.nc';
  const ds = await openDataset(path);
  assert.equal(ds.format, 'hdf5');
  assert.deepEqual(ds.dims.map((d) => [d.name, d.size, d.unlimited]), [['time', 240, true], ['latitude', 37, false], ['longitude', 49, false], ['bnds', 2, false]]);
  const v = ds.variable('air_temperature');
  assert.deepEqual(v.dims, ['time', 'latitude', 'longitude']);
  assert.equal(v.attrs.units, 'K');
  assert.equal(ds.attrs.Conventions, 'CF-1.5');
  assert.deepEqual(Array.from(ds.read('air_temperature', { start: [239, 10, 0], count: [1, 3, 49] }).data), peerSlab(path, "d['air_temperature'][239, 10:13, :]"));
  assert.deepEqual(Array.from(ds.read('air_temperature', { start: [0, 36, 48], count: [240, 1, 1] }).data), peerSlab(path, "d['air_temperature'][:, 36, 48]"));
  assert.deepEqual(Array.from(ds.read('height').data), [1.5]);
  const times = ds.readTimes('time');
  assert.deepEqual([0, 1, 120, 239].map((i) => formatCfDate(times[i]!)), peerTimes(path, '[0, 1, 120, 239]'));
  const g = gridOf(ds, 'air_temperature');
  assert.equal(g.nx, 49);
  assert.equal(g.ny, 37);
  assert.equal(g.crs, 'EPSG:4326');
  assert.deepEqual(Array.from(findXY(ds, 'air_temperature').y), peerSlab(path, "d['latitude'][:]"));
  ds.close();
});
