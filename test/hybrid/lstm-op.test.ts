// The fused LSTM recurrence (custom gradient) against the same cell written
// op by op with TF.js autodiff: forward and gradients wrt inputs and Whh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { lstmRecurrence } from '../../src/hybrid/nn/lstm-op.js';

function reference(pre: tf.Tensor3D, W: tf.Tensor2D): tf.Tensor3D {
  const [nt, nb, H4] = pre.shape;
  const H = H4 / 4;
  let h: tf.Tensor = tf.zeros([nb, H]), c: tf.Tensor = tf.zeros([nb, H]);
  const out: tf.Tensor[] = [];
  const steps = tf.unstack(pre, 0);
  for (let t = 0; t < nt; t++) {
    const [gi, gf, gg, go] = tf.split(tf.add(steps[t], tf.matMul(h, W)), 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(gf), c), tf.mul(tf.sigmoid(gi), tf.tanh(gg)));
    h = tf.mul(tf.sigmoid(go), tf.tanh(c));
    out.push(h);
  }
  return tf.stack(out, 0) as tf.Tensor3D;
}

for (const [backend, native] of [['cpu', false], ['wasm', false], ['wasm', true]] as const) {
  const skip = native && process.env.NUNATAK_NATIVE === '0' && 'native kernels disabled by NUNATAK_NATIVE=0';
  test(`fused LSTM recurrence == op-by-op autodiff (${backend}, ${native ? 'native ONNX Runtime' : 'portable loop'} kernels; forward 1e-5, gradients 1e-4 rel)`, { skip }, async () => {
    await ready(backend);
    const nt = 25, nb = 3, H = 6;
    const pre = tf.randomNormal([nt, nb, 4 * H], 0, 1, 'float32', 1) as tf.Tensor3D;
    const W = tf.randomNormal([H, 4 * H], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    const wy = tf.randomNormal([nt, nb, H], 0, 1, 'float32', 3);
    const fused = (p: tf.Tensor3D, w: tf.Tensor2D) => lstmRecurrence(p, w, native);
    const a = fused(pre, W).dataSync(), b = reference(pre, W).dataSync();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `h[${i}]`);
    const L = (fn: typeof reference) => (p: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(fn(p as tf.Tensor3D, w as tf.Tensor2D), wy));
    const g1 = tf.grads(L(fused))([pre, W]), g2 = tf.grads(L(reference))([pre, W]);
    for (let k = 0; k < 2; k++) {
      const x = g1[k].dataSync(), y = g2[k].dataSync();
      let m = 0;
      for (const v of y) m = Math.max(m, Math.abs(v));
      for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-4 * m, `grad ${k}[${i}]: ${x[i]} vs ${y[i]}`);
    }
  });
}
