// Keras HDF5 import: a DLE-layout model.h5 written by h5py (shared LeakyReLU,
// Dropout, 1×1 head) runs in TF.js and matches a float64 NumPy forward pass
// to 1e-4 relative to the output scale (TF.js and, via the ONNX exporter, ONNX
// Runtime); an unsupported layer type is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf } from '../../src/core/tensor/index.js';
import { importKerasH5 } from '../../src/emulator/keras-h5.js';
import { loadEmulator } from '../../src/emulator/store.js';
import { isNunatakError } from '../../src/core/errors.js';
import { maxDiff } from './compare-helpers.js';

const script = join(import.meta.dirname, 'make_keras_h5.py');
const dir = mkdtempSync(join(tmpdir(), 'nk-emu-h5-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const f32 = (p: string) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

test('DLE-layout Keras model.h5 imports and matches a NumPy forward pass', async () => {
  await ready('cpu');
  const d = join(dir, 'ok');
  execFileSync('mkdir', ['-p', d]);
  const { ny, nx } = JSON.parse(execFileSync('/usr/bin/python3', [script, d, '3', '2', '4', '8']).toString());
  const imp = await importKerasH5(join(d, 'model.h5'));
  assert.equal(imp.network, 'cnn');
  assert.equal(imp.nIn, 3);
  assert.equal(imp.kerasVersion, '2.4.0');
  // 1 input + 5 convs + 1 shared activation + 4 dropouts
  assert.equal(imp.model.layers.length, 11);
  const x = f32(join(d, 'x.f32'));
  const yRef = f32(join(d, 'y.f32'));
  const y = tf.tidy(() => (imp.model.predict(tf.tensor4d(x, [1, ny, nx, 3])) as tf.Tensor).dataSync());
  const { maxd, scale } = maxDiff(y, yRef);
  assert.ok(scale > 0.1, `reference output scale ${scale}`);
  assert.ok(maxd <= 1e-4 * scale, `max |TF.js − NumPy| = ${maxd}, scale ${scale}`);
});

test('a .h5 with an unsupported layer type fails with a clear error', async () => {
  const d = join(dir, 'bad');
  execFileSync('mkdir', ['-p', d]);
  execFileSync('/usr/bin/python3', [script, d, '3', '2', '2', '4', 'bad']);
  await assert.rejects(importKerasH5(join(d, 'model.h5')), (e) => isNunatakError(e, 'INPUT') && /batch_normalization.*BatchNormalization.*not supported/.test(e.message));
});

test('a missing .h5 is a NOT_FOUND error', async () => {
  await assert.rejects(importKerasH5(join(dir, 'nope.h5')), (e) => isNunatakError(e, 'NOT_FOUND'));
});

test('an IGM-style emulator folder (model.h5 + fieldin/fieldout.dat) runs through ONNX Runtime and matches NumPy', async () => {
  await ready('cpu');
  const d = join(dir, 'igm');
  execFileSync('mkdir', ['-p', d]);
  const { ny, nx } = JSON.parse(execFileSync('/usr/bin/python3', [script, d, '3', '2', '3', '6']).toString());
  writeFileSync(join(d, 'fieldin.dat'), 'thk 2000.000000 \nslopsurfx 1.500000 \nslopsurfy 1.500000 \n');
  writeFileSync(join(d, 'fieldout.dat'), 'ubar 1000.000000 \nvbar 1000.000000 \n');
  const emu = await loadEmulator(d, { runtime: 'onnx', threads: 1 });
  assert.equal(emu.runtime, 'onnx');
  const x = f32(join(d, 'x.f32'));
  const yRef = f32(join(d, 'y.f32'));
  const n = ny * nx;
  const bounds = [2000, 1.5, 1.5];
  const fields: Record<string, Float32Array> = {};
  ['thk', 'slopsurfx', 'slopsurfy'].forEach((name, k) => (fields[name] = Float32Array.from({ length: n }, (_, p) => x[p * 3 + k] * bounds[k])));
  const out = await emu.predict(fields, ny, nx);
  let scale = 0;
  let maxd = 0;
  for (let p = 0; p < n; p++)
    ['ubar', 'vbar'].forEach((name, k) => {
      scale = Math.max(scale, Math.abs(yRef[p * 2 + k] * 1000));
      maxd = Math.max(maxd, Math.abs(out[name][p] - yRef[p * 2 + k] * 1000));
    });
  assert.ok(maxd <= 1e-4 * scale, `max |ONNX − NumPy| = ${maxd} m/a, scale ${scale}`);
});
