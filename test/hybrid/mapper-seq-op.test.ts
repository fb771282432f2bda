// The fused per-step mapper op against the TF.js-ops mapper (the reference):
// params, warmParams, dyn and routing within 1e-6 (float32 sigmoid·span), and
// the gradient of a weighted sum of params, dyn and routing wrt the raw NN
// output within 1e-5 of its largest entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { mapParameters, outputSizes, type MapperSpec } from '../../src/hybrid/mapper.js';
import { HbvModel } from '../../src/hybrid/hbv/model.js';

test('fused seq mapper == TF.js ops mapper (values 1e-6 rel to bounds, gradient 1e-5 rel)', async () => {
  await ready('wasm');
  const phy = new HbvModel('hbv1.0', ['BETA', 'BETAET']);
  const nm = 3, nt = 7, nb = 4;
  const spec: MapperSpec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynIndex, nm, routing: true };
  const ny = outputSizes(spec, 'seq').seq;
  const seq = tf.randomNormal([nt, nb, ny], 0, 2, 'float32', 11) as tf.Tensor3D;
  const a = mapParameters({ seq }, spec, 4, 'fused'), b = mapParameters({ seq }, spec, 4, 'ops');
  for (const k of ['params', 'warmParams', 'dyn', 'rout'] as const) {
    assert.deepEqual(a[k]!.shape, b[k]!.shape, k);
    const x = a[k]!.dataSync(), y = b[k]!.dataSync();
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-6 * Math.max(1, Math.abs(y[i])), `${k}[${i}]: ${x[i]} vs ${y[i]}`);
  }
  const wP = tf.randomNormal(b.params.shape, 0, 1, 'float32', 12), wD = tf.randomNormal(b.dyn!.shape, 0, 1, 'float32', 13), wR = tf.randomNormal(b.rout!.shape, 0, 1, 'float32', 14);
  const loss = (impl: 'fused' | 'ops') => (s: tf.Tensor) => {
    const m = mapParameters({ seq: s as tf.Tensor3D }, spec, 4, impl);
    return tf.addN([tf.sum(tf.mul(m.params, wP)), tf.sum(tf.mul(m.dyn!, wD)), tf.sum(tf.mul(m.rout!, wR))]);
  };
  const gf = tf.grad(loss('fused'))(seq).dataSync(), go = tf.grad(loss('ops'))(seq).dataSync();
  let mx = 0, nz = 0;
  for (const v of go) mx = Math.max(mx, Math.abs(v));
  for (let i = 0; i < gf.length; i++) {
    assert.ok(Math.abs(gf[i] - go[i]) <= 1e-5 * mx, `d/dseq[${i}]: ${gf[i]} vs ${go[i]}`);
    if (go[i] !== 0) nz++;
  }
  // the last step of every channel, plus the dynamic channels at all earlier steps
  assert.equal(nz, nb * ny + (nt - 1) * nb * 2 * nm);
});
