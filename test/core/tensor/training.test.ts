// Conv-net training on the wasm backend: gradients against central finite
// differences of a float64 plain-TS forward pass, a leak test, and a small
// CNN whose loss must drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../../src/core/tensor/index.js';
import { conv2dRef, rand, type ConvSpec } from './ref.js';

const ALPHA = 0.1;
const lrelu = (v: Float64Array): Float64Array => v.map((a) => (a > 0 ? a : ALPHA * a));

/** L = Σ R ⊙ lrelu(conv2(lrelu(conv1(x)))), conv2 3×3 'same' stride 1, in float64. */
function lossRef(x: Float64Array, w1: Float64Array, w2: Float64Array, c1: ConvSpec, CO2: number, R: Float64Array): number {
  const h = conv2dRef(x, w1, c1);
  const c2: ConvSpec = { B: c1.B, H: h.OH, W: h.OW, CI: c1.CO, KH: 3, KW: 3, CO: CO2, s: 1, pad: 'same' };
  const y = lrelu(conv2dRef(lrelu(h.y), w2, c2).y);
  let L = 0;
  for (let i = 0; i < y.length; i++) L += R[i] * y[i];
  return L;
}

for (const c1 of [
  { B: 1, H: 7, W: 6, CI: 2, KH: 3, KW: 3, CO: 3, s: 1, pad: 'same' },
  { B: 2, H: 9, W: 8, CI: 2, KH: 3, KW: 3, CO: 3, s: 2, pad: 'valid' },
] as ConvSpec[]) {
  test(`wasm conv gradients match central finite differences (B${c1.B} s${c1.s} ${c1.pad})`, async () => {
    await ready('wasm');
    const CO2 = 2;
    const x = rand(c1.B * c1.H * c1.W * c1.CI, 1);
    const w1 = rand(9 * c1.CI * c1.CO, 2);
    const w2 = rand(9 * c1.CO * CO2, 3);
    const probe = conv2dRef(Float64Array.from(x), Float64Array.from(w1), c1);
    const R = Float64Array.from(rand(c1.B * probe.OH * probe.OW * CO2, 4));
    const grads = tf.tidy(() => {
      const f = (xi: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
        const h = tf.leakyRelu(tf.conv2d(xi as tf.Tensor4D, a as tf.Tensor4D, c1.s, c1.pad), ALPHA);
        const y = tf.leakyRelu(tf.conv2d(h, b as tf.Tensor4D, 1, 'same'), ALPHA);
        return tf.sum(tf.mul(y, tf.tensor(Float32Array.from(R), y.shape)));
      };
      return tf.grads(f)([tf.tensor(x, [c1.B, c1.H, c1.W, c1.CI]), tf.tensor(w1, [3, 3, c1.CI, c1.CO]), tf.tensor(w2, [3, 3, c1.CO, CO2])]).map((g) => g.dataSync());
    });
    // Central differences in float64, h = 1e-5: the loss is piecewise
    // quadratic, so the FD error is rounding (~1e-10) unless a kink is crossed.
    const params = [Float64Array.from(x), Float64Array.from(w1), Float64Array.from(w2)];
    const h = 1e-5;
    for (let p = 0; p < 3; p++) {
      for (let i = 0; i < params[p].length; i++) {
        const v = params[p][i];
        params[p][i] = v + h;
        const lp = lossRef(params[0], params[1], params[2], c1, CO2, R);
        params[p][i] = v - h;
        const lm = lossRef(params[0], params[1], params[2], c1, CO2, R);
        params[p][i] = v;
        const fd = (lp - lm) / (2 * h);
        // float32 forward/backward sums of ~100 terms of size ~1: 1e-4 absolute + 1e-4 relative.
        assert.ok(Math.abs(grads[p][i] - fd) <= 1e-4 + 1e-4 * Math.abs(fd), `param ${p}[${i}]: wasm ${grads[p][i]} vs FD ${fd}`);
      }
    }
  });
}

/** A small DLE-like CNN: conv 3×3 + leaky ReLU ×2, dropout, max-pool, transposed conv back up, 1×1 head. */
function makeNet(seed: number): { vars: tf.Variable[]; apply: (x: tf.Tensor4D, training: boolean) => tf.Tensor4D } {
  const v = (shape: number[], s: number): tf.Variable => tf.variable(tf.mul(tf.tensor(rand(shape.reduce((a, b) => a * b), s), shape), 0.3));
  const vars = [v([3, 3, 3, 8], seed), v([3, 3, 8, 8], seed + 1), v([2, 2, 8, 8], seed + 2), v([1, 1, 8, 2], seed + 3)];
  const apply = (x: tf.Tensor4D, training: boolean): tf.Tensor4D => {
    let h: tf.Tensor4D = tf.leakyRelu(tf.conv2d(x, vars[0] as tf.Variable<tf.Rank.R4>, 1, 'same'), 0.01);
    h = tf.maxPool(h, 2, 2, 'same');
    h = tf.leakyRelu(tf.conv2d(h, vars[1] as tf.Variable<tf.Rank.R4>, 1, 'same'), 0.01);
    if (training) h = tf.dropout(h, 0.1) as tf.Tensor4D;
    h = tf.conv2dTranspose(h, vars[2] as tf.Variable<tf.Rank.R4>, [x.shape[0], x.shape[1], x.shape[2], 8], 2, 'same');
    return tf.conv2d(h, vars[3] as tf.Variable<tf.Rank.R4>, 1, 'valid');
  };
  return { vars, apply };
}

test('a training step inside tidy leaks no tensors on wasm', async () => {
  await ready('wasm');
  const net = makeNet(10);
  const opt = tf.train.adam(1e-2);
  const x = tf.tensor4d(rand(2 * 8 * 8 * 3, 20), [2, 8, 8, 3]);
  const y = tf.tensor4d(rand(2 * 8 * 8 * 2, 21), [2, 8, 8, 2]);
  const step = (): void => tf.tidy(() => {
    opt.minimize(() => tf.mean(tf.abs(tf.sub(net.apply(x, true), y))) as tf.Scalar, false, net.vars);
  });
  step(); // Adam creates its moment slots on the first step.
  const before = tf.memory().numTensors;
  step();
  step();
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
  tf.dispose([x, y, ...net.vars]);
});

test('a small conv net trains on wasm (MAE drops by half)', async () => {
  await ready('wasm');
  // Target: a fixed random conv net's output, so the task is learnable.
  const teacher = makeNet(30);
  const net = makeNet(40);
  const x = tf.tensor4d(rand(4 * 8 * 8 * 3, 50), [4, 8, 8, 3]);
  const y = tf.tidy(() => teacher.apply(x, false));
  const opt = tf.train.adam(1e-2);
  const loss = (): tf.Scalar => tf.mean(tf.abs(tf.sub(net.apply(x, false), y))) as tf.Scalar;
  const first = tf.tidy(() => loss().dataSync()[0]);
  for (let i = 0; i < 60; i++) tf.tidy(() => { opt.minimize(loss, false, net.vars); });
  const last = tf.tidy(() => loss().dataSync()[0]);
  assert.ok(Number.isFinite(last) && last < 0.5 * first, `MAE ${first} → ${last}`);
  opt.dispose();
  tf.dispose([x, y, ...net.vars, ...teacher.vars]);
});
