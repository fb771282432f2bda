// Metrics against hand-computed values, and the NaN-masked losses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basinMetrics, aggregate } from '../../src/hybrid/train/metrics.js';
import { rmse, rmseComb, kgeLoss, nseStar } from '../../src/hybrid/train/losses.js';
import { tf, ready } from '../../src/core/tensor/index.js';
import { isNunatakError } from '../../src/core/errors.js';

const obs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

test('NSE = 1 and KGE = 1 for a perfect fit; NSE = 0 for the mean', () => {
  const p = basinMetrics(obs, obs);
  assert.equal(p.nse, 1);
  assert.ok(Math.abs(p.kge - 1) < 1e-12 && Math.abs(p.kge_12 - 1) < 1e-12 && Math.abs(p.corr - 1) < 1e-12);
  assert.equal(p.rmse, 0);
  const m = basinMetrics(obs.map(() => 5.5), [...obs]);
  assert.ok(Math.abs(m.nse) < 1e-12);
});

test('hand-computed metrics for sim = obs + 1 and sim = 2·obs', () => {
  const a = basinMetrics(obs.map((x) => x + 1), obs);
  // SSE = 10, SST = 82.5 → NSE = 1 − 10/82.5
  assert.ok(Math.abs(a.nse - (1 - 10 / 82.5)) < 1e-12);
  assert.ok(Math.abs(a.rmse - 1) < 1e-12 && Math.abs(a.bias - 1) < 1e-12);
  assert.ok(Math.abs(a.pbias - 100 * 10 / 55) < 1e-12);
  // r = 1, σ ratio 1, mean ratio 6.5/5.5 → KGE = 1 − 1/5.5
  assert.ok(Math.abs(a.kge - (1 - 1 / 5.5)) < 1e-12);
  const b = basinMetrics(obs.map((x) => 2 * x), obs);
  // σ ratio 2, mean ratio 2 → KGE = 1 − √2; CV ratio 1 → KGE′ = 0
  assert.ok(Math.abs(b.kge - (1 - Math.SQRT2)) < 1e-12 && Math.abs(b.kge_12) < 1e-12);
  // FHV: top 2 % of 10 values → the single largest: (20 − 10)/10 = 100 %; FLV: lowest 3 (offset 1e-4)
  assert.ok(Math.abs(b.fhv - 100) < 1e-9);
  assert.ok(Math.abs(b.flv - (100 * (2 + 4 + 6 - 6)) / (6 + 3e-4)) < 1e-6);
});

test('metrics skip NaN observations and refuse NaN simulations', () => {
  const o = [...obs, NaN];
  const s = [...obs, 123];
  assert.equal(basinMetrics(s, o).nse, 1);
  assert.throws(() => basinMetrics([...obs.slice(0, 9), NaN], obs), (e) => isNunatakError(e, 'NUMERIC'));
  const ag = aggregate([basinMetrics(obs, obs), basinMetrics(obs.map(() => 5.5), obs), basinMetrics(obs.map((x) => x + 1), obs)]);
  assert.ok(Math.abs(ag.nse.median - (1 - 10 / 82.5)) < 1e-12);
});

test('losses are NaN-masked and match hand values', async () => {
  await ready('cpu');
  const p = tf.tensor2d([[1, 2], [3, 4]]), o = tf.tensor2d([[2, NaN], [3, 6]]);
  // errors −1, 0, −2 on three finite pairs → RMSE √(5/3)
  assert.ok(Math.abs(rmse(p, o).dataSync()[0] - Math.sqrt(5 / 3)) < 1e-5);
  const tr = (x: number) => Math.log10(Math.sqrt(x + 1e-6) + 0.1);
  const lr = Math.sqrt(((tr(1) - tr(2)) ** 2 + 0 + (tr(4) - tr(6)) ** 2) / 3);
  assert.ok(Math.abs(rmseComb(p, o).dataSync()[0] - (0.75 * Math.sqrt(5 / 3) + 0.25 * lr)) < 1e-5);
  assert.ok(Math.abs(kgeLoss(tf.tensor2d([[2, 9], [3, 6]]), o).dataSync()[0]) < 1e-5, 'perfect fit → 1 − KGE = 0');
  // NSE*: basin σ = [1, 3], ε = 0.1: (1/1.21 + 0 + 4/9.61) / 3
  assert.ok(Math.abs(nseStar(p, o, tf.tensor1d([1, 3])).dataSync()[0] - (1 / 1.21 + 4 / 9.61) / 3) < 1e-5);
  // gradient does not see the NaN entry
  const g = tf.grad((x: tf.Tensor) => rmse(x, o))(p).dataSync();
  assert.equal(g[1], 0);
  assert.ok(g.every(Number.isFinite));
});
