// End to end on a tiny DLE-layout dataset written by netCDF4-python (train: two
// NetCDF cases; test: NetCDF or .npy): train a small CNN for a few epochs,
// check every artefact and its format, reload the saved emulator, and the
// dataset errors (missing field, NaN, U-Net patch size).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEmulatorOptions } from '../../src/emulator/options.js';
import { runEmulator } from '../../src/emulator/run.js';
import { loadEmulatorTfjs } from '../../src/emulator/store.js';
import { isNunatakError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nk-emu-run-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const make = (name: string, ...flags: string[]) => execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'make_dataset.py'), dir, name, ...flags]);
const small = { data_dir: dir, results_dir: join(dir, 'results'), nb_layers: 2, nb_out_filter: 4, patch_size: 8, batch_size: 8, epochs: 3, learning_rate: 1e-2, verbose: 0, seed: 5 };

test('train + predict on NetCDF train / npy test cases writes DLE artefacts', async () => {
  make('toy', 'npy');
  const o = parseEmulatorOptions({ ...small, dataset: 'toy', save_model_each: 2 });
  const r = await runEmulator(o);
  assert.equal(r.dir, join(dir, 'results', 'toy+MAPTY-f2+NETWO-cnn+CONVS-3+DEPTH-2+NBFIL-4+EPOCH-3+RSAMP-1.0+TESTI-0'));
  const hist = readFileSync(join(r.dir, 'train-history.csv'), 'utf8').trim().split('\n');
  assert.equal(hist[0], 'epoch loss mae mse val_loss val_mae val_mse');
  assert.equal(hist.length, 4);
  const cols = hist[3].split(' ').map(Number);
  assert.equal(cols[0], 2);
  assert.ok(cols.every(Number.isFinite));
  assert.ok(r.fit!.history[2].loss < r.fit!.history[0].loss, 'loss decreases');
  for (const f of ['model.onnx', 'Learning-curve.png', 'dle-run-parameters.txt', 'model-info.txt', 'model.json', 'weights.bin', 'fieldin.dat', 'fieldout.dat', 'train-time_callback.txt', 'model.00002/model.json', 'model.h5', 'model.00002/model.h5'])
    assert.ok(existsSync(join(r.dir, f)), f);
  assert.equal(readFileSync(join(r.dir, 'fieldout.dat'), 'utf8'), 'ubar 1000.000000 \nvbar 1000.000000 \n');
  assert.deepEqual(r.scores.map((s) => s.frame), [0, 1, 2]);
  for (const s of r.scores) {
    assert.ok(existsSync(join(r.dir, 'glacier_c', `predict-glacier_c_000${s.frame}.png`)));
    assert.ok(existsSync(join(r.dir, 'glacier_c', `predict-glacier_c_000${s.frame}-diff.png`)));
    assert.ok(s.rmse >= s.mae && s.mae > 0);
  }
  // The saved emulator reloads and predicts any grid size (fully convolutional).
  const emu = await loadEmulatorTfjs(r.dir);
  const n = 9 * 11;
  const out = await emu.predict({ thk: new Float32Array(n).fill(100), slopsurfx: new Float32Array(n).fill(0.1), slopsurfy: new Float32Array(n) }, 9, 11, { maskThk: true });
  assert.equal(out.ubar.length, n);
  assert.ok(out.ubar.every(Number.isFinite));
});

test('dataset errors: missing field, NaN, U-Net patch size', async () => {
  make('noubar', 'noubar');
  await assert.rejects(runEmulator(parseEmulatorOptions({ ...small, dataset: 'noubar' })), (e) => isNunatakError(e, 'NOT_FOUND') && /glacier_a\/ex\.nc.*'ubar' is missing/.test(e.message));
  make('withnan', 'nan');
  await assert.rejects(runEmulator(parseEmulatorOptions({ ...small, dataset: 'withnan' })), (e) => isNunatakError(e, 'NUMERIC') && /glacier_b\/ex\.nc.*'ubar'.*frame 1, row 3, col 4/.test(e.message));
  await assert.rejects(
    runEmulator(parseEmulatorOptions({ ...small, dataset: 'toy', network: 'unet', nb_blocks: 3, patch_size: 10 })),
    (e) => isNunatakError(e, 'SHAPE') && /multiples of 4.*10×10/.test(e.message),
  );
  await assert.rejects(runEmulator(parseEmulatorOptions({ ...small, dataset: 'absent' })), (e) => isNunatakError(e, 'NOT_FOUND') && /absent/.test(e.message));
});
