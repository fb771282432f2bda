// Keras 2.x model.h5 export (IGM 1.x / DLE layout), checked three ways, since
// tf.keras itself cannot be installed here:
//  1. nunatak re-imports its own export (CNN and U-Net) with bit-identical
//     weights and predictions;
//  2. h5py (h5_structure.py) sees the same HDF5 structure as IGM's real
//     f15_cfsflow_GJ_22_a/100/model.h5 (Keras 2.4): the real file imported and
//     re-exported equals it in every attribute type, group, dataset (dtype,
//     shape, layout, bytes) and in model_config / training_config, the
//     optimizer_weights group excepted; nunatak's own CNN / U-Net use the same
//     attribute encodings and Keras 2.4's config keys per layer class,
//     and Keras' model.layers order for the exported graph
//     (keras_layer_order.py) equals the file's layer_names, by which Keras
//     pairs weights with layers;
//  3. a NumPy float64 forward pass of the exported file (keras_forward.py,
//     h5py; graph, layer configs and weights) equals nunatak's prediction to
//     1e-5 (outputs of order 1) for a 2-layer CNN and a 3-level U-Net.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf } from '../../src/core/tensor/index.js';
import { isNunatakError } from '../../src/core/errors.js';
import { buildNetwork, type NetworkSpec } from '../../src/emulator/networks.js';
import { exportKerasH5 } from '../../src/emulator/keras-export.js';
import { importKerasH5 } from '../../src/emulator/keras-h5.js';
import { loadEmulatorModel, saveEmulator } from '../../src/emulator/store.js';
import { runCli } from '../cli/run-cli.js';
import { maxDiff } from './compare-helpers.js';

const PY = '/usr/bin/python3';
const REAL = join(import.meta.dirname, '../../data/igm-emulators/f15_cfsflow_GJ_22_a/100/model.h5');
const dir = mkdtempSync(join(tmpdir(), 'nk-keras-export-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

type Sig = Record<string, unknown>;
interface Structure {
  superblock: number;
  objects: Record<string, { kind: string; attrs: Record<string, Sig>; dtype?: string; shape?: number[]; layout?: string; sha256?: string }>;
  model_config: { class_name: string; config: { layers: Array<{ class_name: string; name: string; config: Record<string, unknown> }> } };
  training_config: unknown;
  layer_names: string[];
}
const structure = (file: string): Structure => JSON.parse(execFileSync(PY, [join(import.meta.dirname, 'h5_structure.py'), file]).toString());
const real = structure(REAL);
/** Keras' own model.layers order for the file's model_config vs its layer_names (weights are matched by position). */
const layerOrder = (file: string): { keras: string[]; file: string[] } => JSON.parse(execFileSync(PY, [join(import.meta.dirname, 'keras_layer_order.py'), file]).toString());

const spec = (network: 'cnn' | 'unet'): NetworkSpec => ({
  network, nIn: 3, nOut: 2, layers: 2, blocks: 3, filters: 4, kernel: 3, activation: 'lrelu', dropout: 0, l2: 0, seed: 5,
});

/** Give every bias a non-zero value so the bias path is exercised too. */
function randomiseBiases(model: tf.LayersModel): void {
  let s = 1;
  for (const l of model.layers) {
    if (l.weights.length < 2) continue;
    const [k, b] = l.getWeights();
    l.setWeights([k, tf.tensor(Float32Array.from({ length: b.size }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2), b.shape)]);
  }
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));

for (const network of ['cnn', 'unet'] as const) {
  test(`${network}: nunatak re-imports its own model.h5 with bit-identical weights and predictions`, async () => {
    await ready('cpu');
    const model = buildNetwork(spec(network));
    randomiseBiases(model);
    const file = join(dir, `${network}.h5`);
    await exportKerasH5(model, file, { training: { loss: 'mse', learningRate: 1e-3, clipnorm: 0 }, l2: 1e-4 });
    const imp = await importKerasH5(file);
    assert.equal(imp.network, network);
    assert.equal(imp.blocks, network === 'unet' ? 3 : 1);
    assert.equal(imp.kerasVersion, '2.4.0');
    assert.deepEqual(imp.model.layers.map((l) => l.name), model.layers.map((l) => l.name));
    for (let i = 0; i < model.layers.length; i++) {
      const a = model.layers[i].getWeights();
      const b = imp.model.layers[i].getWeights();
      assert.equal(a.length, b.length);
      a.forEach((w, k) => assert.ok(same(w.dataSync(), b[k].dataSync()), `${model.layers[i].name} weight ${k}`));
    }
    const x = tf.randomNormal([2, 12, 16, 3], 0, 1, 'float32', 11);
    const ya = (model.predict(x) as tf.Tensor).dataSync();
    const yb = (imp.model.predict(x) as tf.Tensor).dataSync();
    assert.ok(same(ya, yb), 'predictions differ');
  });
}

test('a Sequential model is written as the equivalent functional graph and re-imports bit-identically', async () => {
  await ready('cpu');
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [null, null, 3], filters: 2, kernelSize: 3, padding: 'same' }), tf.layers.leakyReLU({ alpha: 0.2 })] });
  randomiseBiases(model);
  const file = join(dir, 'seq.h5');
  await exportKerasH5(model, file);
  const imp = await importKerasH5(file);
  assert.deepEqual(imp.model.layers.map((l) => l.getClassName()), ['InputLayer', 'Conv2D', 'LeakyReLU']);
  const x = tf.randomNormal([1, 6, 5, 3], 0, 1, 'float32', 2);
  assert.ok(same((model.predict(x) as tf.Tensor).dataSync(), (imp.model.predict(x) as tf.Tensor).dataSync()));
});

test("IGM's f15 model.h5, imported and re-exported, has the real file's exact HDF5 structure, weights and configs", async () => {
  await ready('cpu');
  const imp = await importKerasH5(REAL);
  const file = join(dir, 'f15.h5');
  // DLE's compile settings for this emulator: MAE, Adam(1e-4, clipnorm 0.5), L2 0 on the hidden convolutions.
  await exportKerasH5(imp.model, file, { training: { loss: 'mae', learningRate: 1e-4, clipnorm: 0.5 }, l2: 0 });
  const ours = structure(file);
  assert.equal(ours.superblock, real.superblock);
  // Keras' include_optimizer=False layout: nunatak keeps no Adam state.
  const realObjects = Object.fromEntries(Object.entries(real.objects).filter(([p]) => !p.startsWith('/optimizer_weights')));
  assert.ok(Object.keys(real.objects).length > Object.keys(realObjects).length, 'the reference holds optimizer_weights');
  assert.deepEqual(Object.keys(ours.objects).sort(), Object.keys(realObjects).sort());
  for (const [path, o] of Object.entries(realObjects)) assert.deepEqual(ours.objects[path], o, path);
  assert.deepEqual(ours.model_config, real.model_config);
  assert.deepEqual(ours.training_config, real.training_config);
  assert.deepEqual(ours.layer_names, real.layer_names);
  // The layer-order reference reproduces both real Keras files (2.4 and IGM's 2.8 pinnbp), shared LeakyReLU included.
  for (const f of [REAL, join(import.meta.dirname, '../../data/igm-emulators/pinnbp_10_4_cnn_16_32_2_1/model.h5')]) {
    const o = layerOrder(f);
    assert.deepEqual(o.keras, o.file, f);
  }
});

// Keras 2.4 get_config keys of the layer classes the U-Net adds (the real file has none of them).
const KERAS24_KEYS: Record<string, string[]> = {
  Conv2DTranspose: [...Object.keys(real.model_config.config.layers.find((l) => l.class_name === 'Conv2D')!.config), 'output_padding'],
  MaxPooling2D: ['name', 'trainable', 'dtype', 'pool_size', 'padding', 'strides', 'data_format'],
  Concatenate: ['name', 'trainable', 'dtype', 'axis'],
  ReLU: ['name', 'trainable', 'dtype', 'max_value', 'negative_slope', 'threshold'],
};

for (const network of ['cnn', 'unet'] as const) {
  test(`${network}: attribute encodings, groups, datasets and layer config keys are those of the real Keras file`, async () => {
    await ready('cpu');
    const model = buildNetwork({ ...spec(network), activation: network === 'unet' ? 'relu' : 'lrelu' });
    const file = join(dir, `${network}-structure.h5`);
    await exportKerasH5(model, file, { training: { loss: 'mae', learningRate: 1e-4, clipnorm: 0.5 } });
    const ours = structure(file);
    const noSize = (s: Sig) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'size' && k !== 'shape'));
    assert.equal(ours.superblock, real.superblock);
    assert.deepEqual(ours.objects['/'].attrs, real.objects['/'].attrs, 'root attributes');
    const mw = ours.objects['/model_weights'].attrs;
    const rmw = real.objects['/model_weights'].attrs;
    assert.deepEqual(Object.keys(mw).sort(), Object.keys(rmw).sort());
    for (const k of Object.keys(rmw)) assert.deepEqual(noSize(mw[k]), noSize(rmw[k]), `model_weights attribute ${k}`);
    assert.deepEqual(mw.layer_names.shape, [model.layers.length]);
    assert.deepEqual(ours.layer_names, model.layers.map((l) => l.name));
    const order = layerOrder(file);
    assert.deepEqual(order.keras, order.file, 'Keras would pair weights with the wrong layers');
    const withWeights = real.objects['/model_weights/conv2d'].attrs.weight_names;
    const without = real.objects['/model_weights/leaky_re_lu'].attrs.weight_names;
    for (const l of model.layers) {
      const g = ours.objects[`/model_weights/${l.name}`];
      assert.equal(g?.kind, 'group', l.name);
      assert.deepEqual(Object.keys(g.attrs), ['weight_names'], l.name);
      if (l.weights.length === 0) {
        assert.deepEqual(g.attrs.weight_names, without, l.name);
        continue;
      }
      assert.deepEqual(noSize(g.attrs.weight_names), noSize(withWeights), l.name);
      for (const w of ['kernel:0', 'bias:0']) {
        const d = ours.objects[`/model_weights/${l.name}/${l.name}/${w}`];
        const r = real.objects[`/model_weights/conv2d/conv2d/${w}`];
        assert.deepEqual([d.kind, d.dtype, d.layout, d.attrs], [r.kind, r.dtype, r.layout, r.attrs], `${l.name}/${w}`);
      }
    }
    assert.equal(ours.model_config.class_name, real.model_config.class_name);
    const realKeys = new Map(real.model_config.config.layers.map((l) => [l.class_name, Object.keys(l.config)]));
    const classes = new Set<string>();
    for (const L of ours.model_config.config.layers) {
      classes.add(L.class_name);
      const expect = realKeys.get(L.class_name) ?? KERAS24_KEYS[L.class_name];
      assert.ok(expect, `no reference keys for ${L.class_name}`);
      assert.deepEqual(Object.keys(L.config), expect, `${L.name} (${L.class_name}) config keys`);
    }
    const want = network === 'cnn' ? ['InputLayer', 'Conv2D', 'LeakyReLU', 'Dropout'] : ['InputLayer', 'Conv2D', 'ReLU', 'MaxPooling2D', 'Conv2DTranspose', 'Concatenate'];
    assert.deepEqual([...classes].sort(), want.sort());
    assert.deepEqual(Object.keys(ours.training_config as object), Object.keys(real.training_config as object));
  });
}

const numpyCases = [
  { what: 'a 2-layer CNN', spec: { ...spec('cnn'), layers: 1, filters: 3 }, ny: 9, nx: 7 },
  { what: 'a 3-level U-Net (ReLU)', spec: { ...spec('unet'), filters: 3, activation: 'relu' as const }, ny: 8, nx: 12 },
];
for (const c of numpyCases) {
  test(`${c.what}: a NumPy forward pass of the exported file (h5py) equals nunatak to 1e-5`, async () => {
    await ready('cpu');
    const model = buildNetwork(c.spec);
    randomiseBiases(model);
    const file = join(dir, 'tiny.h5');
    await exportKerasH5(model, file);
    const { ny, nx } = c;
    const nin = c.spec.nIn;
    const x = Float32Array.from({ length: ny * nx * nin }, (_, i) => Math.sin(0.37 * i) * 2);
    writeFileSync(join(dir, 'x.f32'), x);
    execFileSync(PY, [join(import.meta.dirname, 'keras_forward.py'), file, join(dir, 'x.f32'), String(ny), String(nx), String(nin), join(dir, 'y.f32')]);
    const b = readFileSync(join(dir, 'y.f32'));
    const yRef = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const y = tf.tidy(() => (model.predict(tf.tensor4d(x, [1, ny, nx, nin])) as tf.Tensor).dataSync());
    const { maxd, scale } = maxDiff(y, yRef);
    assert.ok(scale > 0.1, `output scale ${scale}`);
    assert.ok(maxd <= 1e-5, `max |nunatak − NumPy| = ${maxd} (scale ${scale})`);
  });
}

test('training writes model.h5; export-keras makes an IGM folder that loads back bit-identically', async () => {
  await ready('cpu');
  const model = buildNetwork(spec('cnn'));
  randomiseBiases(model);
  const src = join(dir, 'run');
  const inputs = [{ name: 'thk', bound: 2000 }, { name: 'slopsurfx', bound: 1.5 }, { name: 'slopsurfy', bound: 1.5 }];
  const outputs = [{ name: 'ubar', bound: 1000 }, { name: 'vbar', bound: 1000 }];
  await saveEmulator(src, model, { network: 'cnn', blocks: 1, inputs, outputs }, { training: { loss: 'mae', learningRate: 1e-4, clipnorm: 0.5 }, l2: 0 });
  assert.ok(existsSync(join(src, 'model.h5')));
  assert.equal(readFileSync(join(src, 'fieldin.dat'), 'utf8'), 'thk 2000.000000 \nslopsurfx 1.500000 \nslopsurfy 1.500000 \n');
  assert.deepEqual(structure(join(src, 'model.h5')).training_config, real.training_config);
  // the CLI (in process), on a folder as `emulator train` leaves it (dle-run-parameters.txt gives training_config)
  rmSync(join(src, 'model.h5'));
  writeFileSync(join(src, 'dle-run-parameters.txt'), ['loss', 'learning_rate', 'clipnorm', 'regularization'].map((k, i) => `${k.padStart(30)} : ${['mse', '0.001', '0', '0'][i]}`).join('\n') + '\n');
  const out = join(dir, 'igm', 'f2', '100');
  const r = await runCli(['emulator', 'export-keras', src, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['fieldin.dat', 'fieldout.dat']) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(src, f), 'utf8'));
  const tc = structure(join(out, 'model.h5')).training_config as { loss: string; optimizer_config: { config: Record<string, unknown> } };
  assert.equal(tc.loss, 'mse');
  assert.equal(tc.optimizer_config.config.learning_rate, Math.fround(1e-3));
  assert.equal('clipnorm' in tc.optimizer_config.config, false);
  const back = await loadEmulatorModel(out); // only model.h5 there: the Keras importer
  assert.deepEqual(back.meta.inputs, inputs);
  const x = tf.randomNormal([1, 10, 10, 3], 0, 1, 'float32', 3);
  assert.ok(same((model.predict(x) as tf.Tensor).dataSync(), (back.model.predict(x) as tf.Tensor).dataSync()));
});

test('a layer Keras export does not cover is refused with the layer named; a folder without model.json is NOT_FOUND', async () => {
  await ready('cpu');
  const input = tf.input({ shape: [null, null, 2], name: 'inp' }) as tf.SymbolicTensor;
  const y = tf.layers.batchNormalization({ name: 'bn' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: y, name: 'bad' });
  await assert.rejects(exportKerasH5(model, join(dir, 'bad.h5')), (e) => isNunatakError(e, 'INPUT') && /'bn'.*BatchNormalization.*cannot be exported/.test(e.message));
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const { exportKerasFolder } = await import('../../src/emulator/keras-folder.js');
  await assert.rejects(exportKerasFolder(empty), (e) => isNunatakError(e, 'NOT_FOUND') && /model\.json/.test(e.message));
});
