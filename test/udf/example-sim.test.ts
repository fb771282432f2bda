// examples/udf-sim: ice volume per time step of a time × y × x thickness
// NetCDF written by nunatak's writer (Bueler test B, Halfar dome). Checked
// against netCDF4-python + NumPy on the same file (rtol 1e-12: float32 data,
// float64 sums in both), and against the exact, time-constant test-B volume
// (discretisation on 45 km cells: rtol 1e-2). The results written back as
// NetCDF keep the time axis of the input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHalfarOutput, volumePerStep } from '../../examples/udf-sim/volume.js';
import { IceVolumeUDF } from '../../examples/udf-sim/ice-volume-udf.js';
import { Context } from '../../src/udf/context.js';
import { NetcdfDataset } from '../../src/udf/dataset/netcdf.js';
import { writeResultsNetcdf } from '../../src/udf/write-netcdf.js';
import { openDataset } from '../../src/io/netcdf/index.js';
import { assertClose } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nk-udf-sim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('volume per time step of a Halfar thickness series: NumPy peer, exact volume, NetCDF results', async (t) => {
  const path = join(dir, 'halfar.nc');
  const h = await writeHalfarOutput(path, 41, 45_000, 5);
  const v = await volumePerStep(path, h.dx, 'inline');
  assertClose(v, h.exactVolume, 1e-2, 0, 'exact test-B volume');
  const py = spawnSync('/usr/bin/python3', ['-c', `import json, numpy as np, netCDF4\nd = netCDF4.Dataset('${path}')\nH = d['thk'][:].astype(np.float64).filled(np.nan)\nprint(json.dumps(np.nansum(np.where(H > 0, H, 0), axis=(1, 2)).tolist()))`], { encoding: 'utf8' });
  if (py.status === 0) assertClose(v, (JSON.parse(py.stdout) as number[]).map((s) => s * h.dx * h.dx), 1e-12, 0, 'netCDF4 + NumPy');
  else if (/No module named/.test(py.stderr)) t.diagnostic('python3-netcdf4 not installed: NumPy peer skipped');
  else assert.fail(py.stderr);

  const ds = await NetcdfDataset.open({ path, variable: 'thk' });
  const ctx = await Context.make({ kind: 'inline' });
  const r = await ctx.runUdf(ds, new IceVolumeUDF({ cellArea: h.dx * h.dx }));
  const out = join(dir, 'volume.nc');
  await writeResultsNetcdf(out, r, ds, { udfName: 'IceVolumeUDF' });
  await ctx.close();
  ds.close();
  const back = await openDataset(out);
  assert.equal(back.variable('time').attrs.calendar, '365_day');
  assert.deepEqual(Array.from(back.read('time').data), h.times.map((x) => x * 365));
  assert.deepEqual(back.variable('volume').dims, ['time']);
  assertClose(back.read('volume').data, v, 0, 0, 'volume written back');
  back.close();
});

test('volume per time step of a real sim output.nc equals the engine\'s own output_ts.nc volumes', async () => {
  // The Bueler example run by the engine (41 × 41, 1000 a, saves every 250 a):
  // the UDF reduces its output.nc `thk` (nav = time) and must reproduce the
  // `vol` series the write_ts module computed from the in-memory state at the
  // same save times (float32 thickness summed in float64 on both sides: rtol 1e-6).
  const { runExperiment } = await import('../../src/sim/run.js');
  const out = join(dir, 'bueler-run');
  await runExperiment({ experiment: 'examples/bueler', outDir: out, overrides: ['sim.progress=false'] });
  const nc = await openDataset(join(out, 'output.nc'));
  const x = nc.read('x').data as ArrayLike<number>;
  const dx = Math.abs(Number(x[1]) - Number(x[0]));
  nc.close();
  const ts = await openDataset(join(out, 'output_ts.nc'));
  const volTs = Array.from(ts.read('vol').data as ArrayLike<number>, Number);
  ts.close();
  const v = await volumePerStep(join(out, 'output.nc'), dx, 'threads');
  assert.equal(v.length, volTs.length, 'one volume per saved time step');
  assertClose(v.map((m3) => m3 / 1e9), volTs, 1e-6, 0, 'UDF volume vs write_ts vol (km³)');
});
