// The fused LSTM core op (Linear → ReLU → LSTM → Linear in one custom
// gradient) on native ONNX Runtime kernels and on the portable loops, both
// against the same network built from TF.js layers (autodiff through the
// recurrence op): outputs within 1e-5, gradients wrt x and all 7 weights
// within 1e-4 of the largest reference entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../src/core/tensor/index.js';
import { nativeAvailable } from '../../src/core/native/sync-session.js';
import { LstmCore } from '../../src/hybrid/nn/lstm.js';
import { lstmCoreOp } from '../../src/hybrid/nn/lstm-core-op.js';
import { poisonFreeBuffers } from '../../src/hybrid/nn/buffer-pool.js';

// NUNATAK_NATIVE=0 turns the native kernels off on purpose: then only the portable path is checked
const nativeOff = process.env.NUNATAK_NATIVE === '0';

function close(x: ArrayLike<number>, y: ArrayLike<number>, rel: number, what: string) {
  assert.equal(x.length, y.length, what);
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(y[i]));
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= rel * m + 1e-7, `${what}[${i}]: ${x[i]} vs ${y[i]}`);
}

test('fused LSTM core: native == portable == TF.js layers (forward 1e-5, gradients 1e-4 rel)', async () => {
  await ready('wasm');
  if (!nativeOff) assert.ok(nativeAvailable());
  const nt = 9, nb = 3, nx = 5, H = 6, ny = 4;
  const vars = new Map<string, tf.Variable>();
  const core = new LstmCore('t', { nx, hidden: H, ny, seed: 3 }, vars);
  // some inputs negative enough that the ReLU cuts (exercises its mask)
  const x = tf.randomNormal([nt, nb, nx], 0, 1.5, 'float32', 4) as tf.Tensor3D;
  const wy = tf.randomNormal([nt, nb, ny], 0, 1, 'float32', 5);
  const w = { Win: core.linIn.W, bin: core.linIn.b, Wih: core.Wih, Whh: core.Whh, bias: core.bias, Wout: core.linOut.W, bout: core.linOut.b } as any;
  const order = [core.linIn.W, core.linIn.b, core.Wih, core.Whh, core.bias, core.linOut.W, core.linOut.b];
  const run = (fn: (x: tf.Tensor3D) => tf.Tensor3D) => {
    const y = fn(x).dataSync();
    const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(fn(xx as tf.Tensor3D), wy)));
    // gradients wrt weights via variableGrads (the op reads the variables themselves)
    const vg = tf.variableGrads(() => tf.sum(tf.mul(fn(x), wy)) as tf.Scalar, order as tf.Variable[]);
    const gx = g(x).dataSync();
    return { y, gx, gw: order.map((v) => vg.grads[v.name].dataSync()) };
  };
  core.native = false;
  const ref = run((xx) => core.apply(xx, false));
  for (const native of nativeOff ? [false] : [true, false]) {
    const got = run((xx) => lstmCoreOp(xx, w, native));
    const tag = native ? 'native' : 'portable';
    close(got.y, ref.y, 1e-5, `${tag} y`);
    close(got.gx, ref.gx, 1e-4, `${tag} dx`);
    got.gw.forEach((gw, k) => close(gw, ref.gw[k], 1e-4, `${tag} dW${k}`));
  }
  let cut = 0;
  const x0 = tf.relu(core.linIn.apply(x)).dataSync();
  for (const v of x0) if (v === 0) cut++;
  assert.ok(cut > 0 && cut < x0.length, 'the ReLU cuts some but not all units');
});

test('fused LSTM core: recycled work buffers (dirty, then NaN-poisoned) give bit-identical outputs and gradients', { skip: nativeOff && 'NUNATAK_NATIVE=0' }, async () => {
  await ready('wasm');
  const nt = 6, nb = 2, nx = 3, H = 5, ny = 2;
  const vars = new Map<string, tf.Variable>();
  const core = new LstmCore('r', { nx, hidden: H, ny, seed: 9 }, vars);
  const w = { Win: core.linIn.W, bin: core.linIn.b, Wih: core.Wih, Whh: core.Whh, bias: core.bias, Wout: core.linOut.W, bout: core.linOut.b } as any;
  const order = [...vars.values()];
  const once = (x: tf.Tensor3D) => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(lstmCoreOp(x, w, true))) as tf.Scalar, order);
    return [value.dataSync(), ...order.map((v) => grads[v.name].dataSync())].map((a) => Array.from(a));
  };
  const xa = tf.randomNormal([nt, nb, nx], 0, 1, 'float32', 21) as tf.Tensor3D, xb = tf.randomNormal([nt, nb, nx], 0, 3, 'float32', 22) as tf.Tensor3D;
  const first = once(xa);
  const other = once(xb); // leaves its values in the pooled buffers
  assert.notDeepEqual(other[0], first[0]);
  assert.deepEqual(once(xa), first);
  assert.ok(poisonFreeBuffers() >= 3, 'the pool holds the recycled arrays');
  assert.deepEqual(once(xa), first);
});
