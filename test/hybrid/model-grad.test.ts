// DifferentiableModel (NN → mapper → HBV → routing): gradients of an RMSE loss
// wrt NN weights (LSTM, LSTM+MLP) and wrt per-basin process-parameter logits
// (linear "MLP" on one-hot basin ids) against central finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { DifferentiableModel, type Batch } from '../../src/hybrid/model.js';
import { HbvModel } from '../../src/hybrid/hbv/model.js';
import { LstmParameteriser } from '../../src/hybrid/nn/lstm.js';
import { MlpParameteriser } from '../../src/hybrid/nn/mlp.js';
import { LstmMlpParameteriser } from '../../src/hybrid/nn/lstm-mlp.js';
import { outputSizes } from '../../src/hybrid/mapper.js';
import { syntheticForcing } from '../../src/hybrid/data/synthetic.js';
import type { Parameteriser } from '../../src/hybrid/nn/types.js';

const nt = 50, nb = 2, nm = 2, W = 10;

function batchFor(na: number, onehot = false): Batch {
  const d = syntheticForcing(nb, nt, na, 4);
  const x = new Float32Array(nt * nb * 3);
  for (let i = 0; i < nt * nb; i++) {
    x[i * 3] = Math.log10(Math.sqrt(d.forcing.P[i]) + 0.1);
    x[i * 3 + 1] = d.forcing.T[i] / 10;
    x[i * 3 + 2] = d.forcing.PET[i] / 3;
  }
  const c = onehot ? Float32Array.from({ length: nb * nb }, (_, i) => (i % (nb + 1) === 0 ? 1 : 0)) : d.attributes;
  return { x: tf.tensor3d(x, [nt, nb, 3]), c: tf.tensor2d(c, [nb, onehot ? nb : na]), forcing: d.forcing };
}

function checkGrads(model: DifferentiableModel, batch: Batch, picks: Array<[string, number]>) {
  const target = tf.tensor2d(Array.from({ length: (nt - W) * nb }, (_, i) => 1 + Math.sin(i / 7)), [nt - W, nb]);
  const loss = () => tf.sqrt(tf.mean(tf.square(tf.sub(model.forward(batch, false).Q, target)))) as tf.Scalar;
  const vars = [...model.variables.values()];
  const { grads } = tf.variableGrads(loss, vars);
  for (const [name, idx] of picks) {
    const v = model.variables.get(name)!;
    const g = grads[v.name].dataSync()[idx];
    const vals = v.dataSync().slice();
    const h = 2e-3;
    const at = (d: number) => {
      const c = vals.slice();
      c[idx] += d;
      v.assign(tf.tensor(c, v.shape));
      return loss().dataSync()[0];
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    v.assign(tf.tensor(vals, v.shape));
    assert.ok(Math.abs(fd - g) <= 2e-2 * Math.abs(fd) + 2e-4, `${name}[${idx}]: autodiff ${g} vs FD ${fd}`);
  }
}

const opts = { nmul: nm, warmUp: W, warmUpStates: false, routing: true };

test('LSTM → HBV 1.0 (dynamic BETA, BETAET) → UH: dL/dweights vs central FD (float32, rel 2e-2)', async () => {
  await ready('cpu');
  const phy = new HbvModel('hbv1.0', ['BETA', 'BETAET']);
  const spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynIndex, nm, routing: true };
  const nn = new LstmParameteriser({ nx: 3 + 2, hidden: 5, ny: outputSizes(spec, 'seq').seq, seed: 3 });
  const model = new DifferentiableModel(nn, phy, opts);
  checkGrads(model, batchFor(2), [['lstm.linOut.W', 3], ['lstm.linOut.W', 40], ['lstm.linOut.b', 27], ['lstm.Whh', 11], ['lstm.linIn.W', 2], ['lstm.bias', 7]]);
});

test('LSTM+MLP → HBV 1.1p: dL/dweights vs central FD (float32, rel 2e-2)', async () => {
  await ready('cpu');
  const phy = new HbvModel('hbv1.1p', ['BETA']);
  const spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynIndex, nm, routing: true };
  const sz = outputSizes(spec, 'both');
  const nn: Parameteriser = new LstmMlpParameteriser({ nx: 5, hidden: 4, ny: sz.seq, seed: 5 }, { na: 2, hidden: 6, ny: sz.stat, seed: 6 });
  const model = new DifferentiableModel(nn, phy, opts);
  checkGrads(model, batchFor(2), [['lstm.linOut.W', 1], ['mlp.out.W', 5], ['mlp.out.b', 26], ['mlp.out.b', 9], ['mlp.h0.W', 3]]);
});

test('per-basin process parameters (linear map of one-hot ids) → HBV 1.0: dL/dparameters vs central FD', async () => {
  await ready('cpu');
  const phy = new HbvModel('hbv1.0');
  const spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynIndex, nm, routing: true };
  const nn = new MlpParameteriser({ na: nb, hidden: 1, layers: 0, ny: outputSizes(spec, 'stat').stat, seed: 9 });
  const model = new DifferentiableModel(nn, phy, opts);
  // W row b holds basin b's logits: [param·nm + m] then routing a, b
  const picks: Array<[string, number]> = [];
  for (const k of [0, 1, 2, 3, 4, 5, 6, 9]) picks.push(['mlp.out.W', k * nm]);
  picks.push(['mlp.out.W', 12 * nm], ['mlp.out.W', 12 * nm + 1]);
  checkGrads(model, batchFor(0, true), picks);
});
