// nunatak's wasm kernels (Conv2DBackpropFilter / Input, depthwise gradients)
// against TF.js's cpu backend on random shapes. Tolerance: max |wasm − cpu|
// ≤ 1e-4 · max(1, max|cpu|) (float32 sums of up to a few hundred terms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, ready } from '../../../src/core/tensor/index.js';
import { registerWasmKernels, NUNATAK_WASM_KERNELS } from '../../../src/core/tensor/kernels/register.js';
import { rand, maxAbs, maxAbsDiff } from './ref.js';
import { isNativeKernel, nativeFallback, NATIVE_KERNEL_NAMES } from '../../../src/core/tensor/kernels/native/kernels.js';
import { conv2dBackpropFilterNaive, conv2dBackpropInputNaive } from '../../../src/core/tensor/kernels/conv2d-naive.js';

type Pad = 'same' | 'valid';
interface Case { x: [number, number, number, number]; f: [number, number, number, number]; s: number; pad: Pad; dil?: number }

const CASES: Case[] = [
  { x: [1, 7, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
  { x: [2, 8, 7, 2], f: [3, 2, 2, 5], s: 2, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 2], s: 2, pad: 'valid' },
  { x: [1, 10, 10, 2], f: [2, 2, 2, 3], s: 2, pad: 'same' },
  { x: [2, 6, 6, 4], f: [1, 1, 4, 3], s: 1, pad: 'valid' },
  { x: [2, 11, 9, 2], f: [5, 5, 2, 3], s: 1, pad: 'same' },
];

function outShape(n: number, k: number, s: number, pad: Pad, dil = 1): number {
  const ke = (k - 1) * dil + 1;
  return pad === 'same' ? Math.ceil(n / s) : Math.ceil((n - ke + 1) / s);
}

async function onBoth(run: () => tf.Tensor): Promise<{ cpu: Float32Array; wasm: Float32Array }> {
  await ready('cpu');
  const cpu = tf.tidy(run).dataSync() as Float32Array;
  await ready('wasm');
  const wasm = tf.tidy(run).dataSync() as Float32Array;
  return { cpu, wasm };
}

function close(name: string, r: { cpu: Float32Array; wasm: Float32Array }): void {
  const tol = 1e-4 * Math.max(1, maxAbs(r.cpu));
  const d = maxAbsDiff(r.cpu, r.wasm);
  assert.ok(d <= tol, `${name}: max |wasm − cpu| = ${d} > ${tol}`);
}

test('Conv2DBackpropFilter and Conv2DBackpropInput on wasm match cpu', async () => {
  let seed = 1;
  for (const c of CASES) {
    const dil = c.dil ?? 1;
    const dyShape = [c.x[0], outShape(c.x[1], c.f[0], c.s, c.pad, dil), outShape(c.x[2], c.f[1], c.s, c.pad, dil), c.f[3]];
    const xv = rand(c.x.reduce((a, b) => a * b), seed++);
    const fv = rand(c.f.reduce((a, b) => a * b), seed++);
    const dyv = rand(dyShape.reduce((a, b) => a * b), seed++);
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: dil };
    const name = `x${c.x} f${c.f} s${c.s} ${c.pad} d${dil}`;
    close(`filter ${name}`, await onBoth(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor));
    close(`input ${name}`, await onBoth(() =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dyShape), filter: tf.tensor(fv, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor));
  }
});

test('plain-loop conv gradients (the dilation fallback) match cpu', async () => {
  let seed = 50;
  for (const c of CASES) {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
    const dyShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
    const xv = rand(c.x.reduce((a, b) => a * b), seed++);
    const fv = rand(c.f.reduce((a, b) => a * b), seed++);
    const dyv = rand(dyShape.reduce((a, b) => a * b), seed++);
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
    await ready('cpu');
    const cpuF = tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor).dataSync() as Float32Array);
    const cpuI = tf.tidy(() => (tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dyShape), filter: tf.tensor(fv, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor).dataSync() as Float32Array);
    close(`naive filter ${c.x}`, { cpu: cpuF, wasm: conv2dBackpropFilterNaive(xv, dyv, info) });
    close(`naive input ${c.x}`, { cpu: cpuI, wasm: conv2dBackpropInputNaive(dyv, fv, info) });
  }
});

test('MaxPool and MaxPoolGrad on wasm match cpu (1 and 3 channels, same/valid, stride 1/2)', async () => {
  let seed = 200;
  for (const [shape, k, s, pad] of [[[1, 4, 4, 1], 2, 2, 'same'], [[2, 7, 5, 3], 3, 2, 'same'], [[2, 6, 7, 1], 2, 1, 'valid'], [[1, 9, 9, 3], 3, 1, 'same']] as Array<[number[], number, number, Pad]>) {
    const z = rand(shape.reduce((a, b) => a * b), seed++);
    close(`maxPool ${shape}`, await onBoth(() => tf.maxPool(tf.tensor4d(z, shape as [number, number, number, number]), k, s, pad)));
    close(`maxPoolGrad ${shape}`, await onBoth(() => tf.grad((zi: tf.Tensor) => {
      const p = tf.maxPool(zi as tf.Tensor4D, k, s, pad);
      return tf.sum(tf.mul(p, tf.range(1, p.size + 1).reshape(p.shape)));
    })(tf.tensor(z, shape))));
  }
});

test('depthwise conv gradients on wasm match cpu', async () => {
  let seed = 100;
  const dw: Case[] = [
    { x: [1, 7, 9, 3], f: [3, 3, 3, 2], s: 1, pad: 'same' },
    { x: [2, 8, 7, 2], f: [3, 3, 2, 1], s: 2, pad: 'valid' },
    { x: [2, 9, 9, 2], f: [3, 3, 2, 3], s: 2, pad: 'same' },
  ];
  for (const c of dw) {
    const dyShape = [c.x[0], outShape(c.x[1], c.f[0], c.s, c.pad), outShape(c.x[2], c.f[1], c.s, c.pad), c.f[2] * c.f[3]];
    const xv = rand(c.x.reduce((a, b) => a * b), seed++);
    const fv = rand(c.f.reduce((a, b) => a * b), seed++);
    const dyv = rand(dyShape.reduce((a, b) => a * b), seed++);
    const attrs = { strides: c.s, pad: c.pad, dilations: 1 };
    close(`dw filter ${c.x}`, await onBoth(() =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor));
    close(`dw input ${c.x}`, await onBoth(() =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tf.tensor(dyv, dyShape), filter: tf.tensor(fv, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor));
  }
});

test('U-Net-style ops (conv, leaky relu, max-pool, transposed conv, concat, dropout): wasm gradients match cpu', async () => {
  const x = rand(2 * 8 * 8 * 3, 7);
  const w1 = rand(3 * 3 * 3 * 4, 8);
  const w2 = rand(3 * 3 * 4 * 4, 9);
  const wt = rand(2 * 2 * 4 * 4, 10);
  const wo = rand(1 * 1 * 8 * 2, 11);
  const net = (ws: tf.Tensor[]): tf.Scalar => {
    const [xi, a, b, t, o] = ws as tf.Tensor4D[];
    const e = tf.leakyRelu(tf.conv2d(xi, a, 1, 'same'), 0.01);
    const p = tf.maxPool(e, 2, 2, 'same');
    const m = tf.dropout(tf.leakyRelu(tf.conv2d(p, b, 1, 'same'), 0.01), 0.2, undefined, 3) as tf.Tensor4D;
    const u = tf.conv2dTranspose(m, t, [2, 8, 8, 4], 2, 'same');
    const y = tf.conv2d(tf.concat([u, e], 3), o, 1, 'valid');
    return tf.sum(tf.mul(y, tf.linspace(-1, 1, y.size).reshape(y.shape)));
  };
  const shapes = [[2, 8, 8, 3], [3, 3, 3, 4], [3, 3, 4, 4], [2, 2, 4, 4], [1, 1, 8, 2]];
  const vals = [x, w1, w2, wt, wo];
  const grads: Record<string, Float32Array[]> = {};
  for (const b of ['cpu', 'wasm'] as const) {
    await ready(b);
    grads[b] = tf.tidy(() => tf.grads((...ws: tf.Tensor[]) => net(ws))(vals.map((v, i) => tf.tensor(v, shapes[i]))).map((g) => g.dataSync() as Float32Array));
  }
  grads.cpu.forEach((g, i) => close(`grad ${i}`, { cpu: g, wasm: grads.wasm[i] }));
});

test('registering is idempotent and covers the missing kernels', async () => {
  registerWasmKernels();
  registerWasmKernels();
  for (const [name, fn] of Object.entries(NUNATAK_WASM_KERNELS)) {
    // The conv gradients sit behind native (ONNX Runtime) kernels that fall back to them.
    if (NATIVE_KERNEL_NAMES.includes(name)) assert.equal(nativeFallback(name), fn, name);
    else assert.equal(tf.getKernel(name, 'wasm')?.kernelFunc, fn, name);
  }
  for (const name of NATIVE_KERNEL_NAMES) assert.ok(isNativeKernel(tf.getKernel(name, 'wasm')?.kernelFunc), name);
});
