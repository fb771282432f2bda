// Physics-informed BP emulator training: the TF.js gradient of J(net(X)) with respect to a
// network weight (the energy adjoint chained into backprop through the CNN) equals a central
// finite difference of the energy (2 %), training lowers the energy of the network's output on
// synthetic geometries, and the synthetic geometries are valid glaciers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tf } from '../../src/core/tensor/index.js';
import { defaultBPSettings, bpProblem } from '../../src/sim/index.js';
import { buildCnn } from '../../src/emulator/networks.js';
import { BPTrainer, type BPSample } from '../../src/emulator/bp-train.js';
import { syntheticGeometries, DEFAULT_SYNTHETIC } from '../../src/emulator/bp-geometries.js';

const settings = defaultBPSettings({ Nz: 4 });
const net = (seed: number) => buildCnn({ network: 'cnn', nIn: 5, nOut: 8, layers: 3, blocks: 1, filters: 8, kernel: 3, activation: 'lrelu', dropout: 0, l2: 0, seed });
const samples = (count: number): BPSample[] =>
  syntheticGeometries(count, { ...DEFAULT_SYNTHETIC, ny: 16, nx: 16, seed: 3 }).map((geom) => ({ geom, problem: bpProblem(geom, settings) }));

test('synthetic geometries: finite, thk ≥ 0, ice and ice-free cells, A and c in range', () => {
  const gs = syntheticGeometries(6);
  assert.deepEqual(gs.map((g) => g.kind), ['valley', 'icecap', 'bumps', 'valley', 'icecap', 'bumps']);
  for (const g of gs) {
    let ice = 0;
    for (let p = 0; p < g.thk.length; p++) {
      assert.ok(g.thk[p] >= 0 && Number.isFinite(g.usurf[p]));
      if (g.thk[p] > 0) ice++;
    }
    assert.ok(ice > 0.1 * g.thk.length, `${g.kind}: ${ice} ice cells`);
    assert.ok(g.kind === 'bumps' || ice < g.thk.length, `${g.kind} has an ice-free margin`);
    assert.ok((g.arrhenius as number) >= 20 && (g.arrhenius as number) <= 150);
    assert.ok((g.slidingco as number) >= 0.02 && (g.slidingco as number) <= 0.1);
  }
});

test('d J(net(X)) / d weight from TF.js backprop through the energy adjoint equals a central difference', async () => {
  await ready('cpu');
  const [s] = samples(1);
  const model = net(11);
  const tr = new BPTrainer(model, { learningRate: 0, clipnorm: 0, decay: false, seed: 1 });
  const head = model.layers[model.layers.length - 1];
  const [W, b] = head.getWeights();
  // Gradient with respect to the head's bias of channel 1 (U on level 1).
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const biasVar = vars[vars.length - 1];
  const g = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tr.lossTensor(s), vars);
    return grads[biasVar.name].dataSync()[1];
  });
  const bias = b.dataSync().slice() as Float32Array;
  const J = (shift: number) => {
    const bb = bias.slice();
    bb[1] += shift;
    head.setWeights([W, tf.tensor1d(bb)]);
    return tr.energy(s);
  };
  const h = 0.05;
  const fd = (J(h) - J(-h)) / (2 * h);
  head.setWeights([W, b]);
  assert.ok(Math.abs(fd) > 1e-6, `finite difference ${fd}`);
  assert.ok(Math.abs(g - fd) <= 0.02 * Math.abs(fd), `backprop ${g} vs central difference ${fd}`);
});

test('training on the energy lowers the energy of the network output', async () => {
  await ready('cpu');
  const ss = samples(3);
  const model = net(5);
  const tr = new BPTrainer(model, { learningRate: 1e-3, clipnorm: 1, decay: true, seed: 1 });
  const before = ss.map((s) => tr.energy(s));
  const hist = tr.train(ss, 15);
  const after = ss.map((s) => tr.energy(s));
  assert.equal(hist.length, 15);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  assert.ok(sum(after) < sum(before) - 0.5 * Math.abs(sum(before)), `energy ${sum(before)} → ${sum(after)}`);
  tr.dispose();
});
