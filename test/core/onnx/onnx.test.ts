// ONNX wrapper + graph builder: graphs built here run through ONNX Runtime
// and are compared with the same nets (same weights) in TF.js (cpu backend).
// Tolerance: max |ort − tfjs| ≤ 1e-5 · max(1, max|tfjs|) (float32, different
// summation orders).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, ready } from '../../../src/core/tensor/index.js';
import { OnnxGraphBuilder, OnnxSession, hwioToOihw, hwoiToIohw, onnxProviders } from '../../../src/core/onnx/index.js';
import { isNunatakError } from '../../../src/core/errors.js';
import { rand, maxAbs, maxAbsDiff } from '../tensor/ref.js';

const nhwcToNchw = (t: tf.Tensor4D): Float32Array => tf.tidy(() => tf.transpose(t, [0, 3, 1, 2]).dataSync() as Float32Array);

function assertClose(name: string, got: Float32Array, want: Float32Array): void {
  assert.equal(got.length, want.length, `${name}: length`);
  const d = maxAbsDiff(got, want);
  const tol = 1e-5 * Math.max(1, maxAbs(want));
  assert.ok(d <= tol, `${name}: max |ort − tfjs| = ${d} > ${tol}`);
}

/** Conv 3×3 (bias) + LeakyRelu 0.1 + Conv 3×3 stride 2 'valid'. */
function convLeaky(): { bytes: Uint8Array; tfjs: (x: tf.Tensor4D) => tf.Tensor4D } {
  const w1 = rand(3 * 3 * 3 * 4, 1);
  const b1 = rand(4, 2);
  const w2 = rand(3 * 3 * 4 * 2, 3);
  const g = new OnnxGraphBuilder('conv_leaky');
  const x = g.input('x', ['batch', 3, 'h', 'w']);
  const h = g.leakyRelu(g.conv(x, g.weight('w1', hwioToOihw(w1, [3, 3, 3, 4]), [4, 3, 3, 3]), g.weight('b1', b1, [4]), { pads: [1, 1, 1, 1] }), 0.1);
  g.output(g.conv(h, g.weight('w2', hwioToOihw(w2, [3, 3, 4, 2]), [2, 4, 3, 3]), undefined, { strides: [2, 2] }), 'y');
  const tfjs = (xi: tf.Tensor4D): tf.Tensor4D =>
    tf.conv2d(tf.leakyRelu(tf.add(tf.conv2d(xi, tf.tensor4d(w1, [3, 3, 3, 4]), 1, 'same'), tf.tensor1d(b1)), 0.1) as tf.Tensor4D, tf.tensor4d(w2, [3, 3, 4, 2]), 2, 'valid');
  return { bytes: g.toBytes(), tfjs };
}

test('conv + leaky-relu graph: ONNX Runtime matches TF.js (batch 1 and 2, odd sizes)', async () => {
  await ready('cpu');
  const { bytes, tfjs } = convLeaky();
  const s = await OnnxSession.create(bytes, { threads: 1 });
  assert.deepEqual(s.inputNames, ['x']);
  assert.deepEqual(s.outputNames, ['y']);
  for (const [B, H, W] of [[1, 9, 7], [2, 8, 11]]) {
    const xv = rand(B * H * W * 3, 10 + B);
    const x = tf.tensor4d(xv, [B, H, W, 3]);
    const want = nhwcToNchw(tf.tidy(() => tfjs(x)));
    const xn = nhwcToNchw(x);
    const out = await s.run({ x: { data: xn, shape: [B, 3, H, W] } });
    assert.deepEqual(out.y.shape, [B, 2, Math.floor((H - 3) / 2) + 1, Math.floor((W - 3) / 2) + 1]);
    assertClose(`B${B}`, out.y.data, want);
    x.dispose();
  }
  await s.release();
});

test('U-Net-style graph (MaxPool, Relu, ConvTranspose, Concat, Pad, Slice, Add) matches TF.js', async () => {
  await ready('cpu');
  const w1 = rand(3 * 3 * 2 * 4, 20);
  const w2 = rand(3 * 3 * 4 * 4, 21);
  const wt = rand(2 * 2 * 4 * 4, 22); // TF.js conv2dTranspose filter [KH,KW,out,in]
  const wo = rand(1 * 1 * 8 * 2, 23);
  const g = new OnnxGraphBuilder('unet');
  const x = g.input('x', [1, 2, 8, 6]);
  const e = g.leakyRelu(g.conv(x, g.weight('w1', hwioToOihw(w1, [3, 3, 2, 4]), [4, 2, 3, 3]), undefined, { pads: [1, 1, 1, 1] }), 0.01);
  const p = g.maxPool(e, [2, 2], { strides: [2, 2] });
  const m = g.relu(g.conv(p, g.weight('w2', hwioToOihw(w2, [3, 3, 4, 4]), [4, 4, 3, 3]), undefined, { pads: [1, 1, 1, 1] }));
  const u = g.convTranspose(m, g.weight('wt', hwoiToIohw(wt, [2, 2, 4, 4]), [4, 4, 2, 2]), undefined, { strides: [2, 2] });
  const c = g.concat([u, e], 1);
  const y = g.conv(c, g.weight('wo', hwioToOihw(wo, [1, 1, 8, 2]), [2, 8, 1, 1]));
  // Pad by 1 then slice it away again: exercises both ops, result is x itself.
  const xs = g.slice(g.pad(x, [0, 0, 1, 1, 0, 0, 1, 1], 'constant', 0.5), [1, 1], [-1, -1], [2, 3]);
  g.output(g.add(y, xs), 'y');
  const s = await OnnxSession.create(g.toBytes());
  const xv = rand(8 * 6 * 2, 30);
  const want = tf.tidy(() => {
    const xt = tf.tensor4d(xv, [1, 8, 6, 2]);
    const ee = tf.leakyRelu(tf.conv2d(xt, tf.tensor4d(w1, [3, 3, 2, 4]), 1, 'same'), 0.01) as tf.Tensor4D;
    const pp = tf.maxPool(ee, 2, 2, 'valid');
    const mm = tf.relu(tf.conv2d(pp, tf.tensor4d(w2, [3, 3, 4, 4]), 1, 'same'));
    const uu = tf.conv2dTranspose(mm, tf.tensor4d(wt, [2, 2, 4, 4]), [1, 8, 6, 4], 2, 'valid');
    const yy = tf.conv2d(tf.concat([uu, ee], 3), tf.tensor4d(wo, [1, 1, 8, 2]), 1, 'valid');
    return nhwcToNchw(tf.add(yy, xt) as tf.Tensor4D);
  });
  const xn = nhwcToNchw(tf.tensor4d(xv, [1, 8, 6, 2]));
  const out = await s.run({ x: { data: xn, shape: [1, 2, 8, 6] } });
  assert.deepEqual(out.y.shape, [1, 2, 8, 6]);
  assertClose('unet', out.y.data, want);
  await s.release();
});

test('sessions open from a file; bad names, shapes and providers give clear errors', async () => {
  const { bytes } = convLeaky();
  const dir = mkdtempSync(join(tmpdir(), 'nk-onnx-'));
  const file = join(dir, 'net.onnx');
  writeFileSync(file, bytes);
  // 'cuda' is compiled in but not bundled here; 'tpu' does not exist: both fall back to cpu.
  const s = await OnnxSession.create(file, { threads: 1, providers: ['tpu', 'cuda'] });
  assert.deepEqual(s.providers, ['cpu']);
  const x = { data: new Float32Array(3 * 5 * 5), shape: [1, 3, 5, 5] };
  await assert.rejects(s.run({ xx: x }), (e) => isNunatakError(e, 'NOT_FOUND') && /no input 'xx'.*did you mean 'x'/.test(e.message));
  await assert.rejects(s.run({}), (e) => isNunatakError(e, 'INPUT') && /needs input 'x'/.test(e.message));
  await assert.rejects(s.run({ x: { data: x.data, shape: [1, 2, 5, 5] } }), (e) => isNunatakError(e, 'SHAPE') && /holds 50 values/.test(e.message));
  await assert.rejects(s.run({ x: { data: new Float32Array(4 * 25), shape: [1, 4, 5, 5] } }), (e) => isNunatakError(e, 'SHAPE') && /expects \[batch,3,h,w\]/.test(e.message));
  await assert.rejects(s.run({ x }, ['z']), (e) => isNunatakError(e, 'NOT_FOUND') && /no output 'z'/.test(e.message));
  await assert.rejects(OnnxSession.create(join(dir, 'missing.onnx')), (e) => isNunatakError(e, 'NOT_FOUND') && /missing\.onnx/.test(e.message));
  await assert.rejects(OnnxSession.create(new Uint8Array([1, 2, 3])), (e) => isNunatakError(e, 'IO'));
  await s.release();
  assert.ok(onnxProviders().some((p) => p.name === 'cpu' && p.usable));
});

test('graph builder rejects duplicate names and wrong initializer sizes', () => {
  const g = new OnnxGraphBuilder('bad');
  g.input('x', [1]);
  assert.throws(() => g.input('x', [1]), (e) => isNunatakError(e, 'CONFIG') && /'x' is used twice/.test(e.message));
  assert.throws(() => g.weight('w', new Float32Array(5), [2, 3]), (e) => isNunatakError(e, 'SHAPE') && /'w'/.test(e.message));
  assert.throws(() => g.toBytes(), (e) => isNunatakError(e, 'CONFIG') && /no outputs/.test(e.message));
});
