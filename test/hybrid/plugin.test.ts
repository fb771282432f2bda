// A user's own process model (the linear reservoir of docs/hybrid.md) plugged
// into DifferentiableModel: the output is the analytic reservoir response and
// gradients reach the NN weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { DifferentiableModel } from '../../src/hybrid/model.js';
import { MlpParameteriser } from '../../src/hybrid/nn/mlp.js';
import type { ProcessModel, Forcing } from '../../src/hybrid/process.js';

/** A linear reservoir: S ← S + P, Q = k·S, S ← S − Q (k in 1/d). */
class LinearReservoir implements ProcessModel<Float32Array> {
  name = 'linres';
  paramNames = ['k'];
  dynamic: string[] = [];
  bounds = { k: { lo: 0.01, hi: 0.9, unit: 'd-1' } };
  run(f: Forcing, params: tf.Tensor3D): tf.Tensor2D {
    const k = tf.mean(params, [1, 2]);
    let S: tf.Tensor = tf.zeros([f.nb]);
    const P = tf.unstack(tf.tensor2d(f.P, [f.nt, f.nb]));
    const out = P.map((p) => {
      S = tf.add(S, p);
      const q = tf.mul(k, S);
      S = tf.sub(S, q);
      return q;
    });
    return tf.stack(out) as tf.Tensor2D;
  }
  spinUp(): Float32Array {
    return new Float32Array(0);
  }
}

test('a plugged-in process model: analytic response and gradients to the NN', async () => {
  await ready('cpu');
  const nt = 12, nb = 2;
  const P = new Float32Array(nt * nb);
  P[0] = 10; // one 10 mm pulse in basin 0 on day 0
  const f: Forcing = { nt, nb, P, T: new Float32Array(nt * nb), PET: new Float32Array(nt * nb) };
  const nn = new MlpParameteriser({ na: 1, hidden: 4, layers: 1, ny: 1 * 2, seed: 3 });
  const model = new DifferentiableModel(nn, new LinearReservoir(), { nmul: 2, warmUp: 0, warmUpStates: false, routing: false });
  const batch = { x: tf.zeros([nt, nb, 0]) as tf.Tensor3D, c: tf.tensor2d([[0.5], [-0.5]]), forcing: f };
  const { Q, mapped } = model.forward(batch, false);
  const k = tf.mean(mapped.params, [1, 2]).dataSync()[0];
  const q = Q.arraySync();
  for (let t = 0; t < nt; t++) assert.ok(Math.abs(q[t][0] - 10 * k * (1 - k) ** t) < 1e-4, `day ${t}`);
  assert.ok(k > 0.01 && k < 0.9);
  const { grads } = tf.variableGrads(() => tf.sum(model.forward(batch, false).Q.slice([1, 0], [nt - 1, 1])) as tf.Scalar, [...model.variables.values()]);
  assert.ok(Object.values(grads).some((g) => g.abs().max().dataSync()[0] > 0));
});
