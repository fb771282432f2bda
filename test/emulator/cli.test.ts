// CLI: `nunatak emulator train` with a YAML file plus flags on a tiny dataset,
// `export-onnx`, and a bad option value exiting non-zero with the key named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nk-emu-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/nunatak.js', 'emulator', ...args], { encoding: 'utf8', timeout: 300000 });

test('emulator train --config file.yaml --flags, then export-onnx', () => {
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'make_dataset.py'), dir, 'toy']);
  const yaml = join(dir, 'emu.yaml');
  writeFileSync(yaml, `data_dir: ${dir}\nresults_dir: ${join(dir, 'res')}\ndataset: toy\nnb_layers: 1\nnb_out_filter: 2\npatch_size: 8\nbatch_size: 8\nepochs: 5\nverbose: 0\n`);
  const r = cli('train', '--config', yaml, '--epochs', '1', '--predict', 'false');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const run = join(dir, 'res', 'toy+MAPTY-f2+NETWO-cnn+CONVS-3+DEPTH-1+NBFIL-2+EPOCH-1+RSAMP-1.0+TESTI-0');
  assert.match(r.stdout, /epochs: 1 \(epochs\)/);
  assert.equal(readFileSync(join(run, 'train-history.csv'), 'utf8').trim().split('\n').length, 2);
  const e = cli('export-onnx', run, '--file', join(dir, 'm.onnx'));
  assert.equal(e.status, 0, e.stderr);
  assert.ok(existsSync(join(dir, 'm.onnx')));
});

test('a bad option value exits non-zero naming the option', () => {
  const r = cli('train', '--network', 'resnet');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr + r.stdout, /network/);
});
