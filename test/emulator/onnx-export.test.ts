// ONNX export: CNNs (odd and even kernels) and a U-Net run through ONNX Runtime
// match TF.js on random inputs of several sizes to 1e-4 relative to the output
// scale; the Emulator pads a U-Net input and crops back; bad grids are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../../src/core/tensor/index.js';
import { buildNetwork, type NetworkSpec } from '../../src/emulator/networks.js';
import { exportOnnx } from '../../src/emulator/onnx-export.js';
import { onnxForward } from '../../src/emulator/onnx-forward.js';
import { Emulator, tfjsForward } from '../../src/emulator/emulator.js';
import { Rng } from '../../src/emulator/rng.js';
import { isNunatakError } from '../../src/core/errors.js';

const spec = (over: Partial<NetworkSpec>): NetworkSpec => ({ network: 'cnn', nIn: 3, nOut: 2, layers: 3, blocks: 3, filters: 8, kernel: 3, activation: 'lrelu', dropout: 0.1, l2: 0, seed: 4, ...over });

async function compare(model: tf.LayersModel, nin: number, nout: number, sizes: Array<[number, number]>) {
  // Non-zero biases so bias handling is exercised.
  model.setWeights(model.getWeights().map((w, k) => (w.rank === 1 ? tf.randomUniform(w.shape, -0.2, 0.2, 'float32', k) : w)));
  const { forward, session } = await onnxForward(exportOnnx(model), nin, nout, { threads: 1 });
  const ref = tfjsForward(model, nin);
  const r = new Rng(2);
  for (const [ny, nx] of sizes) {
    const x = Float32Array.from({ length: ny * nx * nin }, () => r.next() * 2 - 1);
    const a = await forward(x, ny, nx);
    const b = await ref(x, ny, nx);
    assert.equal(a.length, b.length);
    const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const d = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    assert.ok(scale > 0 && d <= 1e-4 * scale, `${ny}×${nx}: max diff ${d}, scale ${scale}`);
  }
  await session.release();
}

test('CNN (3×3 and even 4×4 kernels) ONNX = TF.js on several grid sizes', async () => {
  await ready('cpu');
  await compare(buildNetwork(spec({})), 3, 2, [[8, 8], [13, 21], [32, 40]]);
  await compare(buildNetwork(spec({ kernel: 4, activation: 'relu', nIn: 2, nOut: 1 })), 2, 1, [[9, 9], [16, 24]]);
});

test('U-Net ONNX = TF.js on several grid sizes', async () => {
  await ready('cpu');
  await compare(buildNetwork(spec({ network: 'unet', blocks: 3, filters: 4 })), 3, 2, [[8, 8], [16, 24], [32, 40]]);
});

test('Emulator pads a U-Net input to a multiple of 2^(levels−1) and crops back; pad:false refuses', async () => {
  await ready('cpu');
  const model = buildNetwork(spec({ network: 'unet', blocks: 3, filters: 4 }));
  const inputs = [{ name: 'thk', bound: 2000 }, { name: 'slopsurfx', bound: 1.5 }, { name: 'slopsurfy', bound: 1.5 }];
  const outputs = [{ name: 'ubar', bound: 1000 }, { name: 'vbar', bound: 1000 }];
  const emu = new Emulator({ network: 'unet', blocks: 3, inputs, outputs }, tfjsForward(model, 3));
  const r = new Rng(3);
  const [ny, nx] = [10, 13];
  const f = (s: number) => Float32Array.from({ length: ny * nx }, () => r.next() * s);
  const fields = { thk: f(300), slopsurfx: f(0.2), slopsurfy: f(0.2) };
  const out = await emu.predict(fields, ny, nx);
  // Reference: pad to 12×16 by hand, run TF.js, crop, scale.
  const x = new Float32Array(12 * 16 * 3);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) inputs.forEach((c, k) => (x[(j * 16 + i) * 3 + k] = fields[c.name as keyof typeof fields][j * nx + i] / c.bound));
  const y = tf.tidy(() => (model.predict(tf.tensor4d(x, [1, 12, 16, 3])) as tf.Tensor).dataSync());
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) assert.ok(Math.abs(out.vbar[j * nx + i] - y[(j * 16 + i) * 2 + 1] * 1000) < 1e-3);
  await assert.rejects(emu.predict(fields, ny, nx, { pad: false }), (e) => isNunatakError(e, 'SHAPE') && /multiples of 4.*10×13/.test(e.message));
  await assert.rejects(emu.predict({ thk: fields.thk, slopsurfx: fields.slopsurfx }, ny, nx), (e) => isNunatakError(e, 'NOT_FOUND') && /slopsurfy/.test(e.message));
});
