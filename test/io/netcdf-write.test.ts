/**
 * NetCDF4 writer: round trips for every dtype (write → nunatak read, values
 * equal exactly), fill values → NaN, deflate, appended time records; interop
 * with the real tools: `ncdump -h` parses the file and shows the CF
 * attributes, netCDF4-python and xarray read the same values (exact equality,
 * NaN at the same places) and dates; a writer killed (SIGKILL) between saves leaves a
 * file readable up to its last save.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../src/io/netcdf/dataset.js';
import { readField } from '../../src/io/netcdf/field-io.js';
import { createNetcdf, resumeNetcdf, type WriteDType } from '../../src/io/netcdf/writer.js';
import { isNunatakError } from '../../src/core/errors.js';
import { peerDump, py, tempDir } from './peer.js';

const grid = { nx: 6, ny: 4, x0: 650050, y0: 5180050, dx: 100, dy: 100, crs: 'EPSG:32632' };

const DTYPES: Array<[WriteDType, number[]]> = [
  ['int8', [-128, -1, 0, 127]],
  ['uint8', [0, 1, 200, 255]],
  ['int16', [-32768, -2, 3, 32767]],
  ['uint16', [0, 5, 40000, 65535]],
  ['int32', [-2147483648, -7, 9, 2147483647]],
  ['uint32', [0, 11, 3000000000, 4294967295]],
  ['int64', [-(2 ** 53), -3, 4, 2 ** 53]],
  ['uint64', [0, 13, 2 ** 40, 2 ** 53]],
  ['float32', [-1.5, 0, 3.25, 1e30]],
  ['float64', [-1e300, Math.PI, 0, 5e-324]],
];

test('round trip of every dtype, with fill values and deflate', async (t) => {
  const dir = tempDir(t);
  for (const deflate of [0, 5]) {
    const path = join(dir, `dtypes-${deflate}.nc`);
    const w = await createNetcdf(path, {
      dims: [{ name: 'n', size: 4 }],
      variables: DTYPES.map(([dtype]) => ({ name: `v_${dtype}`, dims: ['n'], dtype, fillValue: null })),
      deflate,
    });
    for (const [dtype, vals] of DTYPES) w.write(`v_${dtype}`, vals);
    const ds = await openDataset(path);
    for (const [dtype, vals] of DTYPES) {
      const v = ds.variable(`v_${dtype}`);
      assert.equal(v.dtype, dtype);
      assert.deepEqual(Array.from(ds.readRaw(v.name) as ArrayLike<number | bigint>, Number), dtype === 'float32' ? vals.map(Math.fround) : vals, dtype);
      if (deflate) assert.ok(v.filters?.some((f) => /deflate/i.test(f)), `${dtype} filters ${v.filters}`);
    }
    ds.close();
    // netCDF-C sees the compression (ncdump -s shows the special attributes)
    const hs = spawnSync('ncdump', ['-hs', path], { encoding: 'utf8' }).stdout;
    if (deflate) assert.match(hs, /v_float32:_DeflateLevel = 5 ;/);
    else assert.doesNotMatch(hs, /_DeflateLevel/);
    // the peer reads the same raw values
    const peer = peerDump(path, DTYPES.map(([d]) => `v_${d}`));
    for (const [dtype, vals] of DTYPES) {
      if (dtype === 'float32' || dtype === 'float64') assert.deepEqual(peer[`v_${dtype}`].raw, vals.map((x) => (dtype === 'float32' ? Math.fround(x) : x)));
      else assert.deepEqual(peer[`v_${dtype}`].raw, vals, `peer ${dtype}`);
    }
  }
});

test('appended time steps, CF attributes, ncdump and netCDF4-python agree', async (t) => {
  const path = join(tempDir(t), 'run.nc');
  const w = await createNetcdf(path, {
    grid,
    time: { units: 'days since 2000-01-01 00:00:00', calendar: '365_day' },
    variables: [
      { name: 'thk', units: 'm', longName: 'ice thickness', standardName: 'land_ice_thickness' },
      { name: 'usurf', units: 'm', longName: 'ice surface elevation', standardName: 'surface_altitude' },
      { name: 'topg', dims: ['y', 'x'], units: 'm', dtype: 'float64', standardName: 'bedrock_altitude' },
      { name: 'icemask', dims: ['y', 'x'], dtype: 'int8', fillValue: -1 },
    ],
    history: 'nunatak test run',
    config: 'processes:\n  time:\n    end: 2100\n',
    deflate: 3,
  });
  const n = grid.nx * grid.ny;
  const topg = Float64Array.from({ length: n }, (_, i) => 2500 + i * 7.25);
  w.write('topg', topg);
  w.write('icemask', Int8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : i % 2)));
  const steps: Float32Array[] = [];
  for (let k = 0; k < 3; k++) {
    const thk = Float32Array.from({ length: n }, (_, i) => (i === k ? NaN : 100 * k + i * 0.5));
    steps.push(thk);
    w.append({ year: 2000 + k, month: 7, day: 1, hour: 0, minute: 0, second: 0 }, k === 1 ? { thk } : { thk, usurf: thk.map((x) => x + 3000) });
  }
  assert.equal(w.records, 3);

  // nunatak reads it back exactly
  const ds = await openDataset(path);
  assert.deepEqual(ds.dim('time'), { name: 'time', size: 3, unlimited: true });
  const thk = ds.read('thk');
  assert.deepEqual(thk.shape, [3, grid.ny, grid.nx]);
  assert.deepEqual(Array.from(thk.data), steps.flatMap((s) => Array.from(s)));
  const us = ds.read('usurf', { start: [1, 0, 0], count: [1, grid.ny, grid.nx] });
  assert.ok(Array.from(us.data).every(Number.isNaN), 'usurf not given at step 1 is written as fill');
  assert.deepEqual(Array.from(ds.read('topg').data), Array.from(topg));
  assert.equal(ds.variable('thk').attrs.grid_mapping, 'crs');
  assert.equal(ds.variable('crs').attrs.epsg_code, 'EPSG:32632');
  // read back as Fields: the grid and one time step equal what was written
  const f = readField(ds, 'thk', { index: 2 });
  assert.deepEqual({ ...f.grid }, grid);
  assert.equal(f.units, 'm');
  assert.deepEqual(Array.from(f.data), Array.from(steps[2]));
  assert.equal(readField(ds, 'thk').nz, 3);
  ds.close();

  // ncdump -h parses it and shows the CF attributes
  const dump = spawnSync('ncdump', ['-h', path], { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  for (const line of [
    'time = UNLIMITED ; // (3 currently)',
    'float thk(time, y, x) ;',
    'thk:standard_name = "land_ice_thickness" ;',
    'thk:units = "m" ;',
    'thk:_FillValue = NaNf ;',
    'thk:grid_mapping = "crs" ;',
    'byte icemask(y, x) ;',
    'icemask:_FillValue = -1b ;',
    'crs:grid_mapping_name = "transverse_mercator" ;',
    'crs:epsg_code = "EPSG:32632" ;',
    'time:calendar = "365_day" ;',
    'x:standard_name = "projection_x_coordinate" ;',
    ':Conventions = "CF-1.8" ;',
  ]) {
    assert.ok(dump.stdout.includes(line), `ncdump -h lacks '${line}':\n${dump.stdout}`);
  }
  assert.match(dump.stdout, /:history = ".*nunatak test run" ;/);
  assert.match(dump.stdout, /crs:crs_wkt = "PROJCS\[\\"WGS 84 \/ UTM zone 32N\\"/);

  // netCDF4-python reads the same values and dates
  const peer = peerDump(path, ['thk', 'topg', 'x', 'y', 'icemask']);
  assert.deepEqual(peer.thk.values, steps.flatMap((s) => Array.from(s, (x) => (Number.isNaN(x) ? null : x))));
  assert.deepEqual(peer.topg.values, Array.from(topg));
  assert.deepEqual(peer.x.values, [650050, 650150, 650250, 650350, 650450, 650550]);
  assert.deepEqual(peer.__times, ['2000-07-01 00:00:00', '2001-07-01 00:00:00', '2002-07-01 00:00:00']);
  assert.deepEqual(peer.__dims.time, [3, true]);
  assert.equal(peer.icemask.values[0], null);
  assert.match(String(peer.__globals.nunatak_config), /end: 2100/);

  // xarray opens it, decodes CF (fill → NaN, 365_day times via cftime) and sees the grid mapping
  const xr = JSON.parse(
    py(['-c', `import xarray as xr, json, numpy as np\nds = xr.open_dataset(${JSON.stringify(path)})\nt = ds['thk']\nprint(json.dumps({'dims': list(t.dims), 'shape': list(t.shape), 'vals': [None if np.isnan(x) else float(x) for x in t.values.ravel()], 'time': [str(x) for x in ds['time'].values], 'gm': t.encoding.get('grid_mapping', t.attrs.get('grid_mapping')), 'epsg': ds['crs'].attrs['epsg_code'], 'units': t.attrs['units']}))`]),
  );
  assert.deepEqual(xr.dims, ['time', 'y', 'x']);
  assert.deepEqual(xr.vals, peer.thk.values);
  assert.deepEqual(xr.time, ['2000-07-01 00:00:00', '2001-07-01 00:00:00', '2002-07-01 00:00:00']);
  assert.equal(xr.gm, 'crs');
  assert.equal(xr.epsg, 'EPSG:32632');
  assert.equal(xr.units, 'm');
});

test('a writer killed between saves leaves a file readable up to its last save', async (t) => {
  const path = join(tempDir(t), 'killed.nc');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'peers', 'writer-child.ts'), path], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waitFor = (s: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (out.includes(s) ? resolve() : undefined);
      child.stdout.on('data', (b) => {
        out += String(b);
        check();
      });
      child.on('exit', () => reject(new Error(`child exited before '${s}': ${out}`)));
      check();
    });
  await waitFor('ready');
  for (let k = 1; k <= 3; k++) {
    child.stdin.write('save\n');
    await waitFor(`saved ${k}`);
  }
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  assert.ok(statSync(path).size > 0);
  const ds = await openDataset(path);
  assert.equal(ds.dim('time').size, 3);
  assert.deepEqual(Array.from(ds.read('time').data), [0, 10, 20]);
  const thk = ds.read('thk', { start: [2, 0, 0], count: [1, 4, 5] });
  assert.ok(Array.from(thk.data).every((x) => x === 2.5));
  ds.close();
  const peer = peerDump(path, ['thk']);
  assert.deepEqual(peer.thk.shape, [3, 4, 5]);
  // resume: append after the crash, earlier records intact
  const w = await resumeNetcdf(path);
  assert.equal(w.records, 3);
  w.append(30, { thk: new Float32Array(20).fill(3.5) });
  const again = await openDataset(path);
  assert.deepEqual(Array.from(again.read('time').data), [0, 10, 20, 30]);
  assert.deepEqual(Array.from(again.read('thk').data), [0.5, 1.5, 2.5, 3.5].flatMap((x) => new Array(20).fill(x)));
  again.close();
});

test('writer errors name the file and what is wrong', async (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'bad.nc');
  await assert.rejects(createNetcdf(p, { grid: { ...grid, crs: 'not a crs' }, variables: [] }), (e) => isNunatakError(e, 'INPUT') && /bad\.nc.*unknown CRS 'not a crs'/.test(e.message));
  await assert.rejects(createNetcdf(p, { variables: [{ name: 'a', dims: ['q'] }] }), (e) => isNunatakError(e, 'CONFIG') && /undefined dimension 'q'/.test(e.message));
  await assert.rejects(createNetcdf(p, { time: { units: 'fortnights after lunch' }, variables: [] }), (e) => isNunatakError(e, 'INPUT') && /not '<unit> since <date>'/.test(e.message));
  const w = await createNetcdf(p, { grid, time: { units: 'days since 2000-01-01' }, variables: [{ name: 'thk' }] });
  assert.throws(() => w.append(0, { thk: new Float32Array(3) }), (e) => isNunatakError(e, 'SHAPE') && /bad\.nc.*'thk' needs 24 values/.test(e.message));
  assert.throws(() => w.append(0, { thx: new Float32Array(24) }), (e) => isNunatakError(e, 'NOT_FOUND') && /'thx'/.test(e.message));
  await assert.rejects(createNetcdf(p, { variables: [] }), (e) => isNunatakError(e, 'IO') && /exists/.test(e.message));
});

test('gdalinfo reads the CRS and geotransform of a nunatak NetCDF file', async (t) => {
  const path = join(tempDir(t), 'dem.nc');
  const w = await createNetcdf(path, { grid, variables: [{ name: 'topg', units: 'm', standardName: 'bedrock_altitude' }] });
  w.write('topg', Float32Array.from({ length: grid.nx * grid.ny }, (_, i) => 2000 + i));
  const r = spawnSync('gdalinfo', ['-json', `NETCDF:"${path}":topg`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.deepEqual(info.size, [grid.nx, grid.ny]);
  // Cell centres at x0 + i·dx → outer edge x0 − dx/2; GDAL flips the south-up rows to north-up.
  assert.deepEqual(info.geoTransform, [grid.x0 - 50, 100, 0, grid.y0 + (grid.ny - 0.5) * 100, 0, -100]);
  assert.match(info.coordinateSystem.wkt, /ID\["EPSG",32632\]\]$/);
});
