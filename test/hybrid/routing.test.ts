// Gamma unit hydrograph: weights sum to 1 and follow the gamma density ratio,
// routing conserves volume, and its gradient matches central differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { gammaUhWeights, uhConv } from '../../src/hybrid/routing.js';

test('UH weights sum to 1 and match the gamma density t^(α−1)·e^(−t/θ) up to normalisation', async () => {
  await ready('cpu');
  const a = [0, 0.5, 1.7, 2.9], b = [0, 1, 3.3, 6.5];
  const w = gammaUhWeights(tf.tensor1d(a), tf.tensor1d(b)).arraySync();
  for (let i = 0; i < a.length; i++) {
    const s = w[i].reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(s - 1) < 1e-6, `sum ${s}`);
    const al = a[i] + 0.1, th = b[i] + 0.5;
    const dens = (t: number) => Math.pow(t, al - 1) * Math.exp(-t / th);
    let z = 0;
    for (let k = 0; k < 15; k++) z += dens(k + 0.5);
    for (let k = 0; k < 15; k++) assert.ok(Math.abs(w[i][k] - dens(k + 0.5) / z) < 1e-6, `w[${i}][${k}]`);
  }
});

test('routing conserves volume (zero flow after the pulse) and is causal', async () => {
  await ready('cpu');
  const nt = 40, nb = 3;
  const q = new Float32Array(nt * nb);
  for (let t = 0; t < 10; t++) for (let b = 0; b < nb; b++) q[t * nb + b] = (t + 1) * (b + 1);
  const w = gammaUhWeights(tf.tensor1d([0.3, 1.2, 2.5]), tf.tensor1d([0.2, 2, 5]));
  const r = uhConv(tf.tensor2d(q, [nt, nb]), w).arraySync();
  for (let b = 0; b < nb; b++) {
    let vin = 0, vout = 0;
    for (let t = 0; t < nt; t++) { vin += q[t * nb + b]; vout += r[t][b]; }
    assert.ok(Math.abs(vin - vout) < 1e-4 * vin, `basin ${b}: ${vin} vs ${vout}`);
  }
  // causal: a pulse on day 20 leaves days < 20 untouched
  const p = tf.tensor2d(Array.from({ length: 30 }, (_, t) => [t === 20 ? 1 : 0]), [30, 1]);
  const rp = uhConv(p, gammaUhWeights(tf.tensor1d([1]), tf.tensor1d([2]))).arraySync();
  for (let t = 0; t < 20; t++) assert.equal(rp[t][0], 0);
});

test('routing gradient wrt the UH parameters matches central differences (float32, rel 1e-2)', async () => {
  await ready('cpu');
  const nt = 30;
  const q = tf.tensor2d(Array.from({ length: nt }, (_, t) => [Math.max(0, Math.sin(t / 3)) * 5]), [nt, 1]);
  const tw = tf.tensor2d(Array.from({ length: nt }, (_, t) => [Math.cos(t / 5)]), [nt, 1]);
  const L = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(uhConv(q, gammaUhWeights(a as tf.Tensor1D, b as tf.Tensor1D)), tw));
  const a0 = 1.3, b0 = 2.2;
  const [ga, gb] = tf.grads(L)([tf.tensor1d([a0]), tf.tensor1d([b0])]).map((g) => g.dataSync()[0]);
  const h = 1e-2;
  const fa = (L(tf.tensor1d([a0 + h]), tf.tensor1d([b0])).dataSync()[0] - L(tf.tensor1d([a0 - h]), tf.tensor1d([b0])).dataSync()[0]) / (2 * h);
  const fb = (L(tf.tensor1d([a0]), tf.tensor1d([b0 + h])).dataSync()[0] - L(tf.tensor1d([a0]), tf.tensor1d([b0 - h])).dataSync()[0]) / (2 * h);
  assert.ok(Math.abs(ga - fa) < 1e-2 * Math.abs(fa), `a: ${ga} vs ${fa}`);
  assert.ok(Math.abs(gb - fb) < 1e-2 * Math.abs(fb), `b: ${gb} vs ${fb}`);
});
