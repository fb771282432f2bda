// Hintereisferner mass balance on the real data (examples/hintereisferner-mb):
// `nunatak calibrate`'s library run fits the temperature-index model to WGMS
// 1953–1989 and scores the held-out 1990–2003 hindcast against the issue's
// goals (r ≥ 0.75, RMSE ≤ 400, |bias| ≤ 150 mm w.e. a⁻¹); mass_balance.csv
// has every year 1954–2003. The clim + smb_ti modules run through the engine
// on the same glacier give the same glacier-wide balance as the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMbExperiment, MB_EXPERIMENT_DEFAULTS } from '../../src/sim/climate/mb-experiment.ts';
import { runExperiment } from '../../src/sim/run.ts';
import { openDataset } from '../../src/io/index.ts';
import { readMonthlyClimate } from '../../src/sim/climate/monthly-climate.ts';
import { glacierWideBalance } from '../../src/sim/climate/calibrate-ti.ts';
import { TI_DEFAULTS } from '../../src/sim/physics/smb-ti.ts';

const DATA = 'data/hintereisferner/';
const tmp = () => mkdtempSync(join(tmpdir(), 'nk-hefmb-'));

test('hintereisferner-mb: calibration 1953–1989 and held-out 1990–2003 meet the goals', async () => {
  const out = tmp();
  const r = await runMbExperiment({
    ...MB_EXPERIMENT_DEFAULTS, climate: DATA + 'histalp_merged_hef.nc', dem: DATA + 'hef_srtm.tif', outline: DATA + 'Hintereisferner_RGI6.shp',
    mb: DATA + 'mbdata_WGMS-00491.csv', profile: DATA + 'profile_WGMS-00491.csv', out,
  });
  assert.equal(r.calibration.n, 37);
  assert.equal(r.holdout.n, 14);
  assert.ok(r.holdout.r >= 0.75, `held-out r ${r.holdout.r}`);
  assert.ok(r.holdout.rmse <= 400, `held-out RMSE ${r.holdout.rmse}`);
  assert.ok(Math.abs(r.holdout.bias) <= 150, `held-out bias ${r.holdout.bias}`);
  assert.ok(Math.abs(r.areaKm2 - 8.04) < 0.1, `area ${r.areaKm2}`);
  const rows = readFileSync(join(out, 'mass_balance.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'year,modelled,observed');
  assert.deepEqual(rows.slice(1).map((l) => Number(l.split(',')[0])), Array.from({ length: 50 }, (_, k) => 1954 + k));
  assert.ok(rows.slice(1).every((l) => l.split(',').every((v) => Number.isFinite(Number(v)) && v !== '')));
  assert.equal(r.profiles.length, 4);
  const cal = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8')) as { processes: { smb_ti: { melt_f: number } } };
  assert.equal(cal.processes.smb_ti.melt_f, r.params.meltF);
});

test('hintereisferner-mb: clim + smb_ti through the engine = the library glacier-wide balance', async () => {
  const out = tmp();
  await runExperiment({ experiment: 'examples/hintereisferner-mb', outDir: out, overrides: ['processes.time.start=1990', 'processes.time.end=1993', 'inputs.local.dx=100', 'inputs.local.margin=200', 'sim.progress=false'] });
  const ds = await openDataset(join(out, 'output.nc'));
  const smb = ds.read('smb', undefined, 'float64').data as Float64Array;
  const mask = ds.read('icemask', undefined, 'float64').data as Float64Array;
  const usurf = ds.read('usurf', undefined, 'float64').data as Float64Array;
  const times = Array.from(ds.read('time', undefined, 'float64').data as Float64Array);
  ds.close();
  assert.deepEqual(times, [1990, 1991, 1992, 1993]);
  const n = mask.length / times.length; // cells per record
  const ice = Array.from({ length: n }, (_, k) => k).filter((k) => mask[k] > 0.5);
  const z = Float32Array.from(ice, (k) => usurf[k]);
  const c = await readMonthlyClimate({ file: DATA + 'histalp_merged_hef.nc', lon: 10.7584, lat: 46.8003 });
  // the experiment's parameters (experiment.yaml)
  const p = { ...TI_DEFAULTS, tempBias: 1.4929, prcpFac: 2.0861, meltF: 3.1621 };
  const lib = glacierWideBalance(c, z, p, [1990, 1991, 1992], 10);
  // record t holds the SMB applied over [t − 1, t): balance year t − 1 (record 0: year 1990 itself)
  [1990, 1990, 1991, 1992].forEach((year, rec) => {
    const engine = (ice.reduce((s, k) => s + smb[rec * n + k], 0) / ice.length) * 910; // m ice eq. → mm w.e.
    const want = lib[year - 1990];
    assert.ok(Math.abs(engine - want) < 0.5, `record ${rec} (balance year ${year}): engine ${engine} vs library ${want} mm w.e.`);
  });
});
