// Adam / Adadelta single steps against hand-computed updates, state round trip, LR schedules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { Optimizer, scheduledLr } from '../../src/hybrid/train/optim.js';
import { isNunatakError } from '../../src/core/errors.js';

test('Adam and Adadelta first steps match the formulas; state survives a save/restore', async () => {
  await ready('cpu');
  const v = tf.variable(tf.tensor1d([1, -1]));
  const vars = new Map([['w', v]]);
  const adam = new Optimizer('adam', 0.1);
  adam.apply(vars, new Map([['w', tf.tensor1d([2, -0.5])]]));
  // bias-corrected m̂ = g, v̂ = g² → step = lr·g/(|g| + ε) ≈ lr·sign(g)
  const a = v.dataSync();
  assert.ok(Math.abs(a[0] - 0.9) < 1e-6 && Math.abs(a[1] + 0.9) < 1e-6);
  const u = tf.variable(tf.tensor1d([1]));
  const ada = new Optimizer('adadelta', 1.0);
  ada.apply(new Map([['u', u]]), new Map([['u', tf.tensor1d([2])]]));
  // a = 0.1·4; Δ = √(0 + 1e-6)/√(0.4 + 1e-6)·2
  assert.ok(Math.abs(u.dataSync()[0] - (1 - (Math.sqrt(1e-6) / Math.sqrt(0.4 + 1e-6)) * 2)) < 1e-6);
  const st = ada.getState();
  const ada2 = new Optimizer('adadelta', 1.0);
  ada2.setState(JSON.parse(JSON.stringify(st)));
  const u1 = tf.variable(tf.tensor1d([0.5])), u2 = tf.variable(tf.tensor1d([0.5]));
  ada.apply(new Map([['u', u1]]), new Map([['u', tf.tensor1d([1])]]));
  ada2.apply(new Map([['u', u2]]), new Map([['u', tf.tensor1d([1])]]));
  assert.equal(u1.dataSync()[0], u2.dataSync()[0]);
  assert.throws(() => new Optimizer('sgd' as 'adam', 1), (e) => isNunatakError(e, 'CONFIG'));
  assert.throws(() => new Optimizer('adam', 1).setState(st), (e) => isNunatakError(e, 'CONFIG'));
});

test('learning-rate schedules (PyTorch StepLR / ExponentialLR / CosineAnnealingLR)', () => {
  assert.equal(scheduledLr(1, { type: 'none' }, 7), 1);
  assert.equal(scheduledLr(1, { type: 'step', step_size: 10, gamma: 0.5 }, 25), 0.25);
  assert.ok(Math.abs(scheduledLr(2, { type: 'exponential', gamma: 0.9 }, 3) - 2 * 0.729) < 1e-12);
  assert.ok(Math.abs(scheduledLr(1, { type: 'cosine', t_max: 10, eta_min: 0.1 }, 10) - 0.1) < 1e-12);
  assert.ok(Math.abs(scheduledLr(1, { type: 'cosine', t_max: 10 }, 5) - 0.5) < 1e-12);
});
