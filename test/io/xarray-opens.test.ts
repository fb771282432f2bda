/**
 * Every kind of NetCDF file nunatak writes, produced by the real code paths
 * at small sizes, opens with xarray.open_dataset(path) at default settings
 * (time decoded through cftime), carries the data's units, and keeps the
 * grid mapping of projected grids; gdalinfo finds the CRS of sim output and
 * of a models forecast. Files: sim output.nc / output_ts.nc (Hintereisferner,
 * 200 m, 20 a), udf results over output.nc (stddev: sig results on y/x;
 * sumsig: a nav result on the time axis), a models forecast from a 360_day
 * source in K (persistence on HadCM3 A1B) and its scores file, and a models
 * forecast on EPSG:32632 (the glacier package).
 * Before: output.nc time ('years since 0000-01-01', 365_day) failed to
 * decode; forecasts wrote units "1" for K, proleptic_gregorian for a 360_day
 * source and no grid mapping on EPSG:32632; udf results had no units.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'nunatak.js');
const dir = mkdtempSync(join(tmpdir(), 'nk-xarray-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Each file opened by xarray: per variable its units, standard_name, grid_mapping; time values as ISO text and calendar. */
const OPEN = `
import sys, json, xarray as xr
out = {}
for f in sys.argv[1:]:
    ds = xr.open_dataset(f)
    v = {k: {a: str(ds[k].attrs.get(a)) for a in ('units', 'standard_name') if a in ds[k].attrs} for k in ds.data_vars}
    for k in ds.data_vars:
        if 'grid_mapping' in ds[k].encoding or 'grid_mapping' in ds[k].attrs:
            v[k]['grid_mapping'] = ds[k].encoding.get('grid_mapping', ds[k].attrs.get('grid_mapping'))
    t = None
    if 'time' in ds.coords:
        t = {'iso': [x.isoformat() if hasattr(x, 'isoformat') else str(x) for x in ds['time'].values.tolist()], 'calendar': ds['time'].encoding.get('calendar'), 'type': type(ds['time'].values[0]).__name__}
    valid = None
    if 'lead_time' in ds.coords and 'time' in ds.coords and hasattr(ds['time'].values[0], 'calendar'):
        valid = [(ds['time'].values[0] + l).isoformat() for l in ds['lead_time'].values.astype('timedelta64[s]').tolist()]
    out[f] = {'vars': v, 'time': t, 'valid': valid}
    ds.close()
print(json.dumps(out))
`;

type Opened = Record<string, { vars: Record<string, { units?: string; standard_name?: string; grid_mapping?: string }>; time: { iso: string[]; calendar: string; type: string } | null; valid: string[] | null }>;

function xr(...files: string[]): Opened {
  const r = spawnSync('/usr/bin/python3', ['-c', OPEN, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, `xarray.open_dataset failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Opened;
}

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, '--quiet', ...args], { encoding: 'utf8', env: { ...process.env, NUNATAK_QUIET: '1' } });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return r.stdout;
}

/** gdalinfo's coordinate-system text of a NetCDF variable. */
function gdalCrs(file: string, v: string): string {
  const r = spawnSync('gdalinfo', [`NETCDF:"${file}":${v}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const sim = join(dir, 'sim');

test('sim output.nc / output_ts.nc and udf results over them: xarray decodes time, units, standard names, grid mapping; gdalinfo finds EPSG:32632', async () => {
  await runExperiment({
    experiment: join(ROOT, 'examples', 'hintereisferner', 'quick.yaml'),
    overrides: ['inputs.local.dx=200', 'processes.time.end=20', 'processes.time.save=10', 'outputs=[write_ncdf,write_ts]', 'sim.progress=false'],
    outDir: sim,
  });
  const nc = join(sim, 'output.nc');
  const ts = join(sim, 'output_ts.nc');
  cli('udf', 'run', 'stddev', '-d', nc, '--variable', 'thk', '-e', 'inline', '--no-progress', '-o', join(dir, 'udf'));
  cli('udf', 'run', 'sumsig', '-d', nc, '--variable', 'thk', '-e', 'inline', '--no-progress', '-o', join(dir, 'udf'));
  const o = xr(nc, ts, join(dir, 'udf', 'stddev.nc'), join(dir, 'udf', 'sumsig.nc'));
  // model years 0, 10, 20 read as calendar years of the 365-day calendar
  assert.deepEqual(o[nc].time, { iso: ['0000-01-01T00:00:00', '0010-01-01T00:00:00', '0020-01-01T00:00:00'], calendar: '365_day', type: 'DatetimeNoLeap' });
  assert.deepEqual(o[ts].time!.iso, o[nc].time!.iso);
  const v = o[nc].vars;
  assert.deepEqual(v.thk, { units: 'm', standard_name: 'land_ice_thickness', grid_mapping: 'crs' });
  assert.deepEqual(v.topg, { units: 'm', standard_name: 'bedrock_altitude', grid_mapping: 'crs' });
  assert.deepEqual(v.usurf, { units: 'm', standard_name: 'surface_altitude', grid_mapping: 'crs' });
  assert.deepEqual(v.uvelsurf, { units: 'm a-1', standard_name: 'land_ice_surface_x_velocity', grid_mapping: 'crs' });
  assert.deepEqual(v.vvelsurf, { units: 'm a-1', standard_name: 'land_ice_surface_y_velocity', grid_mapping: 'crs' });
  assert.equal(o[ts].vars.vol.units, 'km3');
  const sd = o[join(dir, 'udf', 'stddev.nc')].vars;
  assert.deepEqual(sd.std, { units: 'm', grid_mapping: 'crs' });
  assert.deepEqual(sd.var, { units: 'm2', grid_mapping: 'crs' });
  assert.equal(sd.num_frames.units, '1');
  const ss = o[join(dir, 'udf', 'sumsig.nc')];
  assert.equal(ss.vars.intensity.units, 'm');
  assert.deepEqual(ss.time!.iso, o[nc].time!.iso);
  for (const f of [nc, join(dir, 'udf', 'stddev.nc')]) assert.match(gdalCrs(f, f === nc ? 'thk' : 'std'), /UTM zone 32N[\s\S]*ID\["EPSG",32632\]|AUTHORITY\["EPSG","32632"\]/);
});

test('models forecasts and scores: a 360_day K source stays 360_day with K, init + lead hits source dates; EPSG:32632 forecast has its grid mapping', async () => {
  const data = join(ROOT, 'data', 'models', 'A1B_north_america.nc');
  const cfg = join(dir, 'persistence.yaml');
  const fc = join(dir, 'persistence.nc');
  writeFileSync(cfg, `model: ${join(ROOT, 'examples', 'models', 'persistence')}\ndata: {file: ${data}, lexicon: {t2m: air_temperature}}\nstart_times: ["2041-06-01"]\nsteps: 2\noutput: {path: ${fc}}\n`);
  cli('models', 'run', cfg);
  cli('models', 'score', fc, '--data', data, '--lexicon', 't2m=air_temperature', '--climatology-years', '2030-2040', '--out', join(dir, 'scores'));
  const gcfg = join(dir, 'glacier.yaml');
  const gfc = join(dir, 'glacier.nc');
  const pkg = join(ROOT, 'examples', 'models', 'glacier');
  writeFileSync(gcfg, `model: file://${pkg}\ndata: {file: ${join(pkg, 'initial.nc')}}\nstart_times: ["2000-01-01"]\nsteps: 1\noutput: {path: ${gfc}}\n`);
  cli('models', 'run', gcfg);
  const sc = join(dir, 'scores', 'persistence.scores.nc');
  const o = xr(fc, sc, gfc, data);
  assert.equal(o[fc].time!.calendar, '360_day');
  assert.equal(o[fc].time!.type, 'Datetime360Day');
  assert.deepEqual(o[fc].vars.t2m, { units: 'K' });
  // valid times = init + lead (P1Y = 360 days in 360_day) are the source's own dates
  assert.deepEqual(o[fc].valid, ['2041-06-01T00:00:00', '2042-06-01T00:00:00', '2043-06-01T00:00:00']);
  for (const t of o[fc].valid!) assert.ok(o[data].time!.iso.includes(t), `${t} is a source date`);
  assert.equal(o[sc].vars.rmse_t2m.units, 'K');
  assert.equal(o[sc].vars.acc_centred_t2m.units, '1');
  assert.equal(o[gfc].vars.thk.units, 'm');
  assert.equal(o[gfc].vars.thk.grid_mapping, 'crs');
  assert.equal(o[gfc].vars.velbar_mag.units, 'm a-1');
  assert.match(gdalCrs(gfc, 'thk'), /UTM zone 32N/);
});
