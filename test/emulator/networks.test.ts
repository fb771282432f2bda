// Network structure: DLE's f2 / f15 CNN parameter counts (139,682 / 140,390) and
// Keras layer count (35: input + 17 conv + 1 shared LeakyReLU + 16 dropout);
// U-Net output size equals input size; a CNN takes any grid size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../../src/core/tensor/index.js';
import { buildNetwork, type NetworkSpec } from '../../src/emulator/networks.js';

const spec = (o: Partial<NetworkSpec>): NetworkSpec => ({ network: 'cnn', nIn: 3, nOut: 2, layers: 16, blocks: 4, filters: 32, kernel: 3, activation: 'lrelu', dropout: 0, l2: 0, seed: 1, ...o });

test('DLE CNN sizes match the paper / IGM model.h5', async () => {
  await ready('cpu');
  const f2 = buildNetwork(spec({}));
  assert.equal(f2.countParams(), 139682);
  assert.equal(f2.layers.length, 35);
  assert.equal(f2.layers.filter((l) => l.getClassName() === 'LeakyReLU').length, 1);
  assert.equal(f2.layers.find((l) => l.getClassName() === 'LeakyReLU')!.inboundNodes.length, 16);
  assert.equal(buildNetwork(spec({ nIn: 5, nOut: 6 })).countParams(), 140390);
});

test('CNN takes any grid; U-Net keeps the grid size', async () => {
  await ready('cpu');
  const cnn = buildNetwork(spec({ layers: 2, filters: 4 }));
  assert.deepEqual((cnn.predict(tf.zeros([1, 7, 11, 3])) as tf.Tensor).shape, [1, 7, 11, 2]);
  const unet = buildNetwork(spec({ network: 'unet', blocks: 4, filters: 2 }));
  assert.equal(unet.layers.filter((l) => l.getClassName() === 'MaxPooling2D').length, 3);
  assert.deepEqual((unet.predict(tf.zeros([2, 16, 24, 3])) as tf.Tensor).shape, [2, 16, 24, 2]);
});
