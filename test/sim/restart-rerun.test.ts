/**
 * Restarts and reruns on the Hintereisferner example (coarsened 4× to 400 m,
 * 60 a): `--restart output.nc@30` continues from t = 30 a and ends with the
 * same thickness as the uninterrupted run — bit-identical (tolerance 0 m:
 * the restart reads float32 topg/thk/icemask exactly as they were, and the
 * clock lands on the same save times). A run folder's config.yaml re-runs
 * from the run folder (its relative DEM paths resolved against the
 * experiment's folder) and `config show <run folder>` resolves it too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDataset } from '../../src/io/netcdf/index.js';
import { locateExperiment } from '../../src/sim/experiment.js';
import { restartOverrides, runExperiment } from '../../src/sim/run.js';

const HEF_DIR = resolve(import.meta.dirname, '../../examples/hintereisferner');
const HEF = join(HEF_DIR, 'quick.yaml'); // the ice-free growth experiment (the folder's experiment.yaml is the inverted-bed chain)
const COARSE = ['inputs.local.coarsening.ratio=4', 'processes.time.end=60', 'processes.time.save=30', 'outputs=[write_ncdf]'];

async function lastRecord(file: string): Promise<{ times: number[]; thk: Float32Array; vars: string[] }> {
  const ds = await openDataset(file);
  try {
    const times = Array.from(ds.read('time', undefined, 'float64').data as Float64Array);
    const all = ds.read('thk', undefined, 'float32').data as Float32Array;
    const n = all.length / times.length;
    return { times, thk: all.slice(all.length - n), vars: ds.vars.map((v) => v.name) };
  } finally {
    ds.close();
  }
}

test('Hintereisferner: --restart output.nc@30 ends equal to the uninterrupted run (max |Δthk| = 0 m)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-restart-'));
  const full = await runExperiment({ experiment: HEF, overrides: COARSE, outDir: join(dir, 'full') });
  const a = await lastRecord(join(dir, 'full', 'output.nc'));
  assert.deepEqual(a.times, [0, 30, 60]);
  for (const v of ['topg', 'thk', 'icemask']) assert.ok(a.vars.includes(v), `output.nc holds ${v} for restarts`);
  const re = await runExperiment({ experiment: HEF, overrides: [...COARSE, ...restartOverrides(`${join(dir, 'full', 'output.nc')}@30`)], outDir: join(dir, 're') });
  const b = await lastRecord(join(dir, 're', 'output.nc'));
  assert.deepEqual(b.times, [30, 60]);
  let d = 0;
  for (let k = 0; k < a.thk.length; k++) d = Math.max(d, Math.abs(a.thk[k] - b.thk[k]));
  assert.equal(d, 0, `max |Δthk| = ${d} m`);
  assert.ok(full.area > 1, `the glacier exists (${full.area} km²)`);
  assert.equal(re.area, full.area);
  assert.equal(re.volume, full.volume);
});

test('a run folder re-runs from its config.yaml (paths resolved), and config show reads it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-rerun-'));
  const over = ['inputs.local.coarsening.ratio=4', 'processes.time.end=10', 'processes.time.save=10', 'outputs=[]'];
  const first = await runExperiment({ experiment: HEF, overrides: over, outDir: join(dir, 'a') });
  const loc = locateExperiment(join(dir, 'a'));
  assert.equal(loc.file, join(dir, 'a', 'config.yaml'));
  assert.equal(loc.root, HEF_DIR);
  const again = await runExperiment({ experiment: join(dir, 'a'), outDir: join(dir, 'b') });
  assert.equal(again.volume, first.volume);
  assert.ok(first.area > 1);
  const show = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/nunatak.js'), 'config', 'show', join(dir, 'a')], { encoding: 'utf8' });
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /dem: \.\.\/\.\.\/data\/hintereisferner\/hef_srtm\.tif/);
  assert.match(show.stdout, new RegExp(`root: ${HEF_DIR}`));
});
