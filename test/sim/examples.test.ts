/**
 * The user-module, override and bueler examples run on coarse grids (the
 * same commands as their READMEs plus size overrides) and write what they
 * promise; their output.nc and output_ts.nc pass `ncdump -h`. Bueler B through the engine at 41×41: relative volume error
 * ≤ 0.5 % and dome error ≤ 2 % after 1000 a (the fine-grid convergence
 * study is test/sim/bueler.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runExperiment } from '../../src/sim/run.js';

/** `ncdump -h` (netcdf-bin) opens the run's NetCDF outputs. */
function ncdumpOk(out: string): void {
  for (const f of ['output.nc', 'output_ts.nc']) {
    const r = spawnSync('ncdump', ['-h', join(out, f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `ncdump -h ${f}: ${r.stderr}`);
    assert.match(r.stdout, /time = UNLIMITED/);
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'nk-ex-'));
const coarseValley = ['inputs.synthetic.nx=40', 'inputs.synthetic.ny=12', 'inputs.synthetic.dx=250', 'sim.progress=false'];

test('examples/user-module: the sinusoidal-ELA user SMB grows a glacier', async () => {
  const out = tmp();
  const r = await runExperiment({ experiment: 'examples/user-module', outDir: out, overrides: [...coarseValley, 'processes.time.end=100'] });
  assert.ok(r.modules.includes('processes/mysmb (user)'));
  assert.ok(r.volume > 0.05, `volume ${r.volume} km³`);
  ncdumpOk(out);
});

test('examples/override: the user particles module seeds only on the centre row', async () => {
  const out = tmp();
  const r = await runExperiment({ experiment: 'examples/override', outDir: out, overrides: [...coarseValley, 'processes.time.end=100'] });
  assert.ok(r.modules.includes('processes/particles (user)'));
  const rows = readFileSync(join(out, 'trajectories', 'traj-50.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  assert.ok(rows.length > 3);
  // seeded at t = 50 on row 6 (y = 1500 m) and not yet moved
  for (const r of rows.filter((x) => x[5] === 50)) assert.equal(r[2], 1500);
  assert.ok(readdirSync(join(out, 'trajectories')).includes('traj-100.csv'));
  ncdumpOk(out);
});

test('examples/bueler: test B through the engine stays within 0.5 % volume and 2 % dome error', async () => {
  const out = tmp();
  await runExperiment({ experiment: 'examples/bueler', outDir: out, overrides: ['sim.progress=false'] });
  const rows = readFileSync(join(out, 'bueler_errors.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const last = rows[rows.length - 1];
  assert.equal(last[0], 1422.45);
  assert.ok(last[1] <= 0.005, `volume error ${last[1]}`);
  assert.ok(last[2] <= 0.02, `dome error ${last[2]}`);
  ncdumpOk(out);
});

test('examples/hintereisferner/quick.yaml on a 200 m grid for 100 a writes every promised output', async () => {
  const out = tmp();
  const r = await runExperiment({ experiment: 'examples/hintereisferner/quick.yaml', outDir: out, overrides: ['inputs.local.dx=200', 'processes.time.end=100', 'sim.progress=false'] });
  assert.ok(r.volume > 0.05 && r.area > 2, `${r.volume} km³, ${r.area} km²`);
  ncdumpOk(out);
  const files = readdirSync(out);
  for (const f of ['thk-0.png', 'thk-50.png', 'thk-100.png', 'summary-volume.png', 'summary-area.png', 'summary.csv', 'config.yaml']) assert.ok(files.includes(f), f);
});
