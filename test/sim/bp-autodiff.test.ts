// The Blatter–Pattyn energy against an independent op-by-op TF.js version
// written from IGM's formulas (bp-tfjs-reference.ts), cpu backend, float32:
// energy to 1e-5 relative, hand-written adjoint vs TF.js autodiff to
// 1e-4·max|g|; and the custom-gradient loss bpEnergyLoss vs autodiff of the
// op-by-op loss on a batch (channels-last layout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.ts';
import { bpProblem, bpEnergyLoss, defaultBPSettings, type BPGeometry, type BPSettings, type BPProblem } from '../../src/sim/physics/bp/index.ts';
import { bpEnergyOpByOp } from './bp-tfjs-reference.ts';
import { bpFixture, smoothVelocity } from './bp-helpers.ts';

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function reference(P: BPProblem, geom: BPGeometry, s: BPSettings, U: Float32Array, V: Float32Array) {
  const shape = [s.Nz, geom.ny, geom.nx] as [number, number, number];
  const mask = tf.tensor3d(Float32Array.from(P.free), shape);
  const f = (u: tf.Tensor, v: tf.Tensor) => bpEnergyOpByOp(tf.mul(u, mask), tf.mul(v, mask), geom, s);
  const { value, grads } = tf.valueAndGrads(f)([tf.tensor3d(U, shape), tf.tensor3d(V, shape)]);
  return { J: value.dataSync()[0], gU: grads[0].dataSync() as Float32Array, gV: grads[1].dataSync() as Float32Array };
}

for (const periodic of [false, true]) {
  for (const no_slip of [false, true]) {
    for (const m of [3, 1]) {
      if (no_slip && m === 1) continue; // m plays no part without sliding
      test(`op-by-op TF.js (IGM formulas) vs TS: periodic ${periodic}, no_slip ${no_slip}, n 3, m ${m}`, async () => {
        await ready('cpu');
        const geom = bpFixture({ periodic, nx: 10, ny: 8 });
        const s = defaultBPSettings({ Nz: 6, periodic, no_slip, exp_weertman: m });
        const P = bpProblem(geom, s, { backend: 'ts' });
        const U = smoothVelocity(6, geom.ny, geom.nx, 21), V = smoothVelocity(6, geom.ny, geom.nx, 22, 10);
        const gU = new Float32Array(P.size), gV = new Float32Array(P.size);
        const J = P.energy(U, V, gU, gV);
        const ref = reference(P, geom, s, U, V);
        assert.ok(Math.abs(J / ref.J - 1) < 1e-5, `J ts ${J} vs op-by-op ${ref.J}`);
        const gmax = Math.max(maxAbs(ref.gU), maxAbs(ref.gV));
        const err = Math.max(maxDiff(gU, ref.gU), maxDiff(gV, ref.gV));
        assert.ok(err <= 1e-4 * gmax, `max |adjoint − autodiff| ${err} vs max|g| ${gmax}`);
      });
    }
  }
}

test('bpEnergyLoss: value = mean energy, gradient = autodiff of the op-by-op loss (batch of 2, channels last)', async () => {
  await ready('cpu');
  const Nz = 4;
  const geoms = [bpFixture({ nx: 8, ny: 6, seed: 1 }), bpFixture({ nx: 8, ny: 6, seed: 2 })];
  const s = defaultBPSettings({ Nz });
  const problems = geoms.map((g) => bpProblem(g, s, { backend: 'ts' }));
  const items = [0, 1].map((b) => tf.concat([tf.tensor3d(smoothVelocity(Nz, 6, 8, 30 + b), [Nz, 6, 8]), tf.tensor3d(smoothVelocity(Nz, 6, 8, 40 + b, 5), [Nz, 6, 8])], 0));
  const Y = tf.transpose(tf.stack(items), [0, 2, 3, 1]) as tf.Tensor4D; // [2, ny, nx, 2Nz]
  const { value, grad } = tf.valueAndGrad((y: tf.Tensor) => bpEnergyLoss(y as tf.Tensor4D, problems))(Y);
  const opLoss = (y: tf.Tensor) => {
    const t = tf.transpose(y, [0, 3, 1, 2]);
    const per = [0, 1].map((b) => {
      const mask = tf.tensor3d(Float32Array.from(problems[b].free), [Nz, 6, 8]);
      const item = tf.squeeze(tf.slice(t, [b, 0, 0, 0], [1, 2 * Nz, 6, 8]), [0]);
      const U = tf.mul(tf.slice(item, [0, 0, 0], [Nz, 6, 8]), mask), V = tf.mul(tf.slice(item, [Nz, 0, 0], [Nz, 6, 8]), mask);
      return bpEnergyOpByOp(U, V, geoms[b], s);
    });
    return tf.div(tf.add(per[0], per[1]), 2) as tf.Scalar;
  };
  const ref = tf.valueAndGrad(opLoss)(Y);
  assert.ok(Math.abs(value.dataSync()[0] / ref.value.dataSync()[0] - 1) < 1e-5);
  const g = grad.dataSync(), gr = ref.grad.dataSync();
  assert.ok(maxDiff(g, gr) <= 1e-4 * maxAbs(gr), `loss gradient off by ${maxDiff(g, gr)}`);
  assert.throws(() => bpEnergyLoss(Y, problems.slice(0, 1)), /problems for a batch/);
});
