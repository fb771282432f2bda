// Training: a tiny seeded CNN learns a synthetic linear stencil mapping
// (u = 2a − 0.5b + a[i+1] − a[i−1]) to a small fraction of its initial loss;
// clipnorm matches the Keras formula; NaN stops training; early stopping restores
// the best weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../../src/core/tensor/index.js';
import { BatchCycler, type PatchSource } from '../../src/emulator/batches.js';
import type { CaseData } from '../../src/emulator/case-data.js';
import { clipByNorm, fit, type FitOptions } from '../../src/emulator/fit.js';
import { buildNetwork } from '../../src/emulator/networks.js';
import { samplePatches } from '../../src/emulator/patches.js';
import { Rng } from '../../src/emulator/rng.js';

const nt = 2;
const ny = 16;
const nx = 16;
function linearCase(): CaseData {
  const r = new Rng(11);
  const a = Float32Array.from({ length: nt * ny * nx }, () => r.next() * 2 - 1);
  const b = Float32Array.from({ length: nt * ny * nx }, () => r.next() * 2 - 1);
  const u = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) {
    const i = k % nx;
    u[k] = 2 * a[k] - 0.5 * b[k] + (i < nx - 1 ? a[k + 1] : 0) - (i > 0 ? a[k - 1] : 0);
  }
  return { name: 'lin', source: 'memory', nt, ny, nx, dx: 1, dy: 1, fields: new Map([['a', a], ['b', b], ['u', u]]) };
}
const src = (p: number): PatchSource => {
  const c = linearCase();
  return { cases: [c], refs: samplePatches([c], p, 1, null), patch: p, inputs: [{ name: 'a', bound: 1 }, { name: 'b', bound: 1 }], outputs: [{ name: 'u', bound: 2 }] };
};
const net = () => buildNetwork({ network: 'cnn', nIn: 2, nOut: 1, layers: 1, blocks: 4, filters: 6, kernel: 3, activation: 'lrelu', dropout: 0, l2: 0, seed: 3 });
const base: FitOptions = { epochs: 30, batch: 8, stepsPerEpoch: 5, valSteps: 1, learningRate: 2e-2, clipnorm: 0.5, l2: 0, loss: 'mse', patience: 100, showProgress: false };

test('tiny CNN learns a linear stencil mapping (seeded, deterministic)', async () => {
  await ready('cpu');
  const s = src(8);
  const r1 = await fit(net(), new BatchCycler(s, false, 1), new BatchCycler(s, false, 2), base);
  const first = r1.history[0].loss;
  const last = r1.history.at(-1)!.loss;
  assert.equal(r1.stoppedOn, 'epochs');
  assert.ok(last < 0.05 * first, `loss ${first} → ${last}`);
  assert.ok(r1.history.at(-1)!.val_mse < 0.05 * first, `val_mse ${r1.history.at(-1)!.val_mse}`);
  const r2 = await fit(net(), new BatchCycler(s, false, 1), new BatchCycler(s, false, 2), { ...base, epochs: 2 });
  assert.equal(r2.history[1].loss, r1.history[1].loss, 'same seed, same losses');
});

test('clipByNorm = g · c / max(|g|, c)', () => {
  const g = tf.tensor([3, 4]);
  assert.deepEqual(Array.from(clipByNorm(g, 1).dataSync()).map((v) => +v.toFixed(6)), [0.6, 0.8]);
  assert.deepEqual(Array.from(clipByNorm(g, 10).dataSync()), [3, 4]);
});

test('training stops on NaN', async () => {
  await ready('cpu');
  const m = net();
  const w = m.getWeights();
  m.setWeights([tf.fill(w[0].shape, NaN), ...w.slice(1)]);
  const r = await fit(m, new BatchCycler(src(8), false, 1), null, base);
  assert.equal(r.stoppedOn, 'nan');
  assert.equal(r.history.length, 0);
});

test('early stopping on a flat loss stops after `patience` epochs and restores the best weights', async () => {
  await ready('cpu');
  const s = src(8);
  const m = net();
  const w0 = m.getWeights().map((t) => Array.from(t.dataSync()));
  // lr 1e-30 leaves the weights unchanged; steps × batch = the patch list, so every epoch sees the same data.
  const r = await fit(m, new BatchCycler(s, false, 1), null, { ...base, learningRate: 1e-30, batch: 10, stepsPerEpoch: s.refs.length / 10, patience: 2 });
  assert.equal(r.stoppedOn, 'early-stopping');
  assert.equal(r.history.length, 3);
  assert.equal(r.bestEpoch, 1);
  // Restored = end of epoch 1, which differs from the start only by ~1e-30 steps.
  m.getWeights().forEach((t, k) => t.dataSync().forEach((v, i) => assert.ok(Math.abs(v - w0[k][i]) < 1e-20)));
});
