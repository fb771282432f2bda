/**
 * iceflow method `emulated` with a Blatter–Pattyn emulator folder (IGM's pinnbp, copied into the
 * experiment): a short valley run with in-run retraining every 2 steps writes U, V on the levels,
 * the surface level equals uvelsurf, ubar is nonzero on the ice and zero off it; a run whose Nz
 * differs from the emulator's is refused naming processes.iceflow.Nz.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../src/sim/run.js';
import { openDataset } from '../../src/io/netcdf/index.js';
import { isNunatakError } from '../../src/core/errors.js';
import { makeExperiment, valleyYaml } from './engine-helpers.js';

const PINNBP = join(import.meta.dirname, '../../data/igm-emulators/pinnbp_10_4_cnn_16_32_2_1');
const exp = (iceflow: string) => {
  const root = makeExperiment({
    'experiment.yaml': valleyYaml({
      outputs: ['write_ncdf'],
      time: 'start: 0, end: 4, save: 2',
      procs: `  smb_simple: {ela: 2900, update_freq: 0}\n  iceflow: {method: emulated, emulator: pinnbp_10_4_cnn_16_32_2_1, init_slidingco: 0.0464, ${iceflow}}\n`,
      extra: 'outputs:\n  write_ncdf: {vars_to_save: [thk, U, V, ubar, uvelsurf]}\n',
    }).replace('nx: 30, ny: 15, dx: 200', 'nx: 20, ny: 10, dx: 300, thk0: 80'),
  });
  cpSync(PINNBP, join(root, 'pinnbp_10_4_cnn_16_32_2_1'), { recursive: true });
  return root;
};

test('emulated with IGM pinnbp + retraining: U, V on levels, surface level = uvelsurf, zero off ice', async () => {
  const root = exp('retrain_freq: 2, retrain_epochs: 1');
  const out = join(root, 'o');
  await runExperiment({ experiment: root, outDir: out });
  const ds = await openDataset(join(out, 'output.nc'));
  try {
    const n = 200;
    const U = ds.read('U', undefined, 'float32').data as Float32Array;
    const us = ds.read('uvelsurf', undefined, 'float32').data as Float32Array;
    const ub = ds.read('ubar', undefined, 'float32').data as Float32Array;
    const thk = ds.read('thk', undefined, 'float32').data as Float32Array;
    const nt = thk.length / n;
    assert.equal(nt, 3);
    const t = nt - 1;
    let ice = 0, ubmax = 0;
    for (let p = 0; p < n; p++) {
      assert.ok(Math.abs(U[(t * 10 + 9) * n + p] - us[t * n + p]) < 1e-5);
      if (thk[t * n + p] > 0) {
        ice++;
        ubmax = Math.max(ubmax, Math.abs(ub[t * n + p]));
      } else assert.equal(ub[t * n + p], 0);
    }
    for (const v of U) assert.ok(Number.isFinite(v));
    assert.ok(ice > 0 && ubmax > 0.01, `${ice} ice cells, ubar max ${ubmax}`);
  } finally {
    ds.close();
  }
});

test('a BP emulator trained for Nz 10 is refused by a run with Nz 5, naming the key', async () => {
  const root = exp('Nz: 5');
  await assert.rejects(runExperiment({ experiment: root, outDir: join(root, 'o') }), (e) => isNunatakError(e, 'CONFIG') && /processes\.iceflow\.Nz is 5 .*Nz = 10/.test(e.message));
});
