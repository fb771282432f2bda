// DLE compatibility of `nunatak emulator train` (in-process CLI): DLE's own
// spellings (--nb_layers, --thrice, --usegpu True, --train False) are accepted;
// the results folder is named exactly as DLE names it (RSAMP-1.0), so a
// predict-only run finds it — a nunatak one and a real DLE / IGM results
// folder holding only Keras model.h5 + fieldin.dat + fieldout.dat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nk-dle-compat-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const REPO = resolve(import.meta.dirname, '../..');
const common = ['--data_dir', dir, '--results_dir', join(dir, 'res'), '--dataset', 'toy_100', '--nb_layers', '1', '--nb_out_filter', '2', '--epochs', '1', '--verbose', '0', '--data_stepping', '3'];
const FOLDER = join(dir, 'res', 'toy_100+MAPTY-f2+NETWO-cnn+CONVS-3+DEPTH-1+NBFIL-2+EPOCH-1+RSAMP-1.0+TESTI-0');

test('DLE spellings train into the DLE-named folder; --train False --predict True finds it', async () => {
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'make_dataset.py'), dir, 'toy_100']);
  const t = await runCli(['emulator', 'train', ...common, '--patch_size', '8', '--batch_size', '8', '--thrice', '0.5', '--usegpu', 'True', '--predict', 'False']);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(existsSync(join(FOLDER, 'model.json')), 'trained into the DLE-named folder');
  assert.match(readFileSync(join(FOLDER, 'dle-run-parameters.txt'), 'utf8'), /^ +thr_ice : 0\.5$/m, '--thrice reached thr_ice');
  const p = await runCli(['emulator', 'train', ...common, '--train', 'False', '--predict', 'True']);
  assert.equal(p.status, 0, p.stderr);
  const scores = readFileSync(join(FOLDER, 'predict-scores.txt'), 'utf8').trim().split('\n').slice(1);
  assert.ok(scores.length >= 1 && scores.every((l) => Number.isFinite(Number(l.split(' ')[2]))), scores.join('\n'));
});

test('one option under two spellings is refused, naming both', async () => {
  const r = await runCli(['emulator', 'train', '--thrice', '1', '--thr-ice', '2']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--thr-ice and --thrice are the same option/);
});

// IGM's f15 emulator, as DLE wrote it (Keras 2.x model.h5, fieldin.dat, fieldout.dat), shipped in data/igm-emulators (provenance in its README)
const F15 = join(REPO, 'data/igm-emulators/f15_cfsflow_GJ_22_a/100');
test('a DLE results folder (model.h5 only) is found by its DLE name and predicts', async () => {
  // f15 fields on a small grid: inputs thk, usurf (→ slopes), arrhenius, slidingco; outputs the six velocities
  const py = `
import os, numpy as np
from netCDF4 import Dataset
for split in ("train", "test"):
    p = os.path.join(${JSON.stringify(dir)}, "f15toy_100", split, "c", "ex.nc"); os.makedirs(os.path.dirname(p))
    with Dataset(p, "w") as d:
        d.createDimension("time", 1); d.createDimension("y", 16); d.createDimension("x", 20)
        d.createVariable("x", "f8", ("x",))[:] = np.arange(20) * 100.0
        d.createVariable("y", "f8", ("y",))[:] = np.arange(16) * 100.0
        X, Y = np.meshgrid(np.arange(20), np.arange(16))
        thk = np.maximum(0, 200 - 3 * ((X - 10) ** 2 + (Y - 8) ** 2)).astype("f4")
        for k, v in {"thk": thk, "usurf": 2500 + 10 * X + thk, "arrhenius": 78 + 0 * X, "slidingco": 0.05 + 0 * X}.items():
            d.createVariable(k, "f4", ("time", "y", "x"))[:] = v[None]
        for k in ("uvelbase", "vvelbase", "ubar", "vbar", "uvelsurf", "vvelsurf"):
            d.createVariable(k, "f4", ("time", "y", "x"))[:] = np.zeros((1, 16, 20), "f4")
`;
  execFileSync('/usr/bin/python3', ['-c', py]);
  // the name DLE gives its default f15 CNN (16 layers × 32 filters, 100 epochs) on this dataset
  const folder = join(dir, 'res15', 'f15toy_100+MAPTY-f15+NETWO-cnn+CONVS-3+DEPTH-16+NBFIL-32+EPOCH-100+RSAMP-1.0+TESTI-0');
  mkdirSync(folder, { recursive: true });
  for (const f of ['model.h5', 'fieldin.dat', 'fieldout.dat']) copyFileSync(join(F15, f), join(folder, f));
  writeFileSync(join(dir, 'f15.yaml'), 'maptype: f15\ntrain: false\nusegpu: true\n'); // DLE keys in a YAML file too
  const r = await runCli(['emulator', 'train', '--config', join(dir, 'f15.yaml'), '--data_dir', dir, '--results_dir', join(dir, 'res15'), '--dataset', 'f15toy_100', '--verbose', '0']);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(join(folder, 'predict-scores.txt'), 'utf8').trim().split('\n');
  assert.equal(rows.length, 2, rows.join('\n')); // header + 1 frame
  // truth is 0, so MAE = mean |prediction|: finite and not 0 (the model ran on the data)
  for (const row of rows.slice(1)) assert.ok(Number(row.split(' ')[2]) > 0 && Number.isFinite(Number(row.split(' ')[2])), row);
});
