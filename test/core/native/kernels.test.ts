/**
 * The native (ONNX Runtime) TF.js kernels for the wasm backend against the
 * TF.js cpu backend on random shapes (odd sizes, strides 1/2, dilation 2,
 * same/valid/explicit pads, batch > 1, fused bias + activations, batched and
 * transposed matmuls), and against float64 loops where the cpu backend has no
 * reference (dilated gradients). The size threshold is set to 0 so every call
 * runs natively, and the test checks that it did.
 * Tolerance: max |native − reference| ≤ 1e-4 · max(1, max|reference|)
 * (float32 sums of up to a few hundred terms, different summation order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tf, ready } from '../../../src/core/tensor/index.js';
import { nativeKernelOptions, nativeKernelStats } from '../../../src/core/tensor/kernels/native/control.js';
import { rand, maxAbs, maxAbsDiff } from '../tensor/ref.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const sz = (s: number[]) => s.reduce((a, b) => a * b, 1);

function close(name: string, ref: ArrayLike<number>, got: ArrayLike<number>): void {
  assert.equal(got.length, ref.length, `${name}: length`);
  const tol = 1e-4 * Math.max(1, maxAbs(ref));
  const d = maxAbsDiff(ref, got);
  assert.ok(d <= tol, `${name}: max |native − ref| = ${d} > ${tol}`);
}

/** Run `f` on cpu and on wasm with native kernels forced; check `kernel` ran natively. */
async function both(kernel: string, f: () => tf.Tensor, cpuToo = true): Promise<{ cpu: Float32Array; wasm: Float32Array }> {
  let cpu: Float32Array = new Float32Array(0);
  if (cpuToo) {
    await ready('cpu');
    cpu = tf.tidy(f).dataSync() as Float32Array;
  }
  await ready('wasm');
  const before = nativeKernelStats[kernel]?.native ?? 0;
  const wasm = tf.tidy(f).dataSync() as Float32Array;
  assert.ok((nativeKernelStats[kernel]?.native ?? 0) > before, `${kernel} did not run natively`);
  return { cpu, wasm };
}

nativeKernelOptions({ minFlops: 0 });

interface ConvCase { x: [number, number, number, number]; f: [number, number, number, number]; s: number | [number, number]; pad: Pad; dil?: number }
const CONV: ConvCase[] = [
  { x: [1, 7, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
  { x: [2, 8, 7, 2], f: [3, 2, 2, 5], s: 2, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 2], s: 2, pad: 'valid' },
  { x: [2, 10, 11, 2], f: [2, 2, 2, 3], s: [2, 1], pad: 'same' },
  { x: [2, 6, 6, 4], f: [1, 1, 4, 3], s: 1, pad: 'valid' },
  { x: [2, 11, 9, 2], f: [5, 5, 2, 3], s: 1, pad: 'same' },
  { x: [2, 9, 10, 3], f: [3, 3, 3, 2], s: 1, pad: 'same', dil: 2 },
  { x: [1, 12, 11, 2], f: [3, 2, 2, 3], s: 1, pad: 'valid', dil: 2 },
  { x: [2, 8, 9, 3], f: [3, 3, 3, 4], s: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
];

test('Conv2D and FusedConv2D (bias + relu / leakyrelu / relu6 / elu / sigmoid) match cpu', async () => {
  let seed = 1;
  for (const c of CONV) {
    const xv = rand(sz(c.x), seed++), fv = rand(sz(c.f), seed++), bv = rand(c.f[3], seed++);
    const name = `x${c.x} f${c.f} s${c.s} ${JSON.stringify(c.pad)} d${c.dil ?? 1}`;
    const r = await both('Conv2D', () => tf.conv2d(tf.tensor4d(xv, c.x), tf.tensor4d(fv, c.f), c.s, c.pad, 'NHWC', c.dil ?? 1));
    close(`conv2d ${name}`, r.cpu, r.wasm);
    for (const activation of ['linear', 'relu', 'leakyrelu', 'relu6', 'elu', 'sigmoid'] as const) {
      const rf = await both('FusedConv2D', () =>
        tf.fused.conv2d({ x: tf.tensor4d(xv, c.x).mul(4), filter: tf.tensor4d(fv, c.f), bias: tf.tensor1d(bv), strides: c.s, pad: c.pad, dilations: c.dil ?? 1, activation, leakyreluAlpha: 0.13 }));
      close(`fused ${activation} ${name}`, rf.cpu, rf.wasm);
    }
  }
});

/** float64 dx and dw of y = conv(x, w) for upstream dy, by the definition (any stride, dilation, pads). */
function convGradsRef(x: Float32Array, w: Float32Array, dy: Float32Array, xs: number[], fs: number[], info: { outHeight: number; outWidth: number; strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number; padInfo: { top: number; left: number } }) {
  const [B, H, W, CI] = xs, [KH, KW, , CO] = fs;
  const { outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const dx = new Float64Array(x.length), dwt = new Float64Array(w.length);
  for (let b = 0; b < B; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * sh + kh * dh - info.padInfo.top;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * sw + kw * dw - info.padInfo.left;
            if (ix < 0 || ix >= W) continue;
            for (let ci = 0; ci < CI; ci++)
              for (let co = 0; co < CO; co++) {
                const g = dy[((b * OH + oy) * OW + ox) * CO + co];
                dx[((b * H + iy) * W + ix) * CI + ci] += g * w[((kh * KW + kw) * CI + ci) * CO + co];
                dwt[((kh * KW + kw) * CI + ci) * CO + co] += g * x[((b * H + iy) * W + ix) * CI + ci];
              }
          }
        }
  return { dx, dw: dwt };
}

test('Conv2DBackpropInput and Conv2DBackpropFilter match cpu (and float64 loops for dilation)', async () => {
  let seed = 100;
  for (const c of CONV) {
    const dil = c.dil ?? 1;
    const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, dil, c.pad === 'same' || c.pad === 'valid' ? c.pad : (c.pad as tf.backend_util.ExplicitPadding));
    const dyShape = [c.x[0], info.outHeight, info.outWidth, c.f[3]];
    const xv = rand(sz(c.x), seed++), fv = rand(sz(c.f), seed++), dyv = rand(sz(dyShape), seed++);
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: dil, dimRoundingMode: undefined } as unknown as tf.NamedAttrMap;
    const name = `x${c.x} f${c.f} s${c.s} ${JSON.stringify(c.pad)} d${dil}`;
    const dw = () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor;
    const dx = () => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dyv, dyShape), filter: tf.tensor(fv, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor;
    // The cpu backend's gradient kernels ignore dilation, so they are a reference for dilation 1 only.
    const rw = await both('Conv2DBackpropFilter', dw, dil === 1);
    const rx = await both('Conv2DBackpropInput', dx, dil === 1);
    const ref = convGradsRef(xv, fv, dyv, c.x, c.f, info);
    close(`dw vs float64 ${name}`, ref.dw, rw.wasm);
    close(`dx vs float64 ${name}`, ref.dx, rx.wasm);
    if (dil === 1) {
      close(`dw vs cpu ${name}`, rw.cpu, rw.wasm);
      close(`dx vs cpu ${name}`, rx.cpu, rx.wasm);
    }
  }
});

test('conv2dTranspose (Conv2DBackpropInput forward) matches cpu', async () => {
  const x = rand(2 * 5 * 6 * 3, 300), f = rand(3 * 3 * 4 * 3, 301);
  for (const [out, s, pad] of [[[2, 10, 12, 4], 2, 'same'], [[2, 11, 13, 4], 2, 'valid'], [[2, 7, 8, 4], 1, 'valid']] as Array<[[number, number, number, number], number, 'same' | 'valid']>) {
    const r = await both('Conv2DBackpropInput', () => tf.conv2dTranspose(tf.tensor4d(x, [2, 5, 6, 3]), tf.tensor4d(f, [3, 3, 4, 3]), out, s, pad));
    close(`conv2dTranspose → ${out} s${s} ${pad}`, r.cpu, r.wasm);
  }
});

test('BatchMatMul and _FusedMatMul (transposes, batch broadcast, bias + relu/leakyrelu) match cpu', async () => {
  let seed = 400;
  const cases: Array<{ a: number[]; b: number[]; tA: boolean; tB: boolean }> = [
    { a: [37, 50], b: [50, 19], tA: false, tB: false },
    { a: [50, 37], b: [50, 19], tA: true, tB: false },
    { a: [37, 50], b: [19, 50], tA: false, tB: true },
    { a: [50, 37], b: [19, 50], tA: true, tB: true },
    { a: [3, 13, 21], b: [3, 21, 17], tA: false, tB: false },
    { a: [1, 13, 21], b: [4, 17, 21], tA: false, tB: true },
    { a: [2, 3, 21, 13], b: [2, 3, 21, 5], tA: true, tB: false },
    { a: [1, 7, 9], b: [9, 11], tA: false, tB: false },
  ];
  for (const c of cases) {
    const av = rand(sz(c.a), seed++), bv = rand(sz(c.b), seed++);
    const N = c.tB ? c.b[c.b.length - 2] : c.b[c.b.length - 1];
    const biasv = rand(N, seed++);
    const name = `a${c.a}${c.tA ? 'ᵀ' : ''} b${c.b}${c.tB ? 'ᵀ' : ''}`;
    const r = await both('BatchMatMul', () => tf.matMul(tf.tensor(av, c.a), tf.tensor(bv, c.b), c.tA, c.tB));
    close(`matMul ${name}`, r.cpu, r.wasm);
    for (const activation of ['linear', 'relu', 'leakyrelu'] as const) {
      const rf = await both('_FusedMatMul', () =>
        tf.fused.matMul({ a: tf.tensor(av, c.a), b: tf.tensor(bv, c.b), transposeA: c.tA, transposeB: c.tB, bias: tf.tensor1d(biasv), activation, leakyreluAlpha: 0.3 }));
      close(`fused ${activation} ${name}`, rf.cpu, rf.wasm);
    }
  }
});

test('small conv-net gradients on native kernels match central finite differences of a float64 forward pass', async () => {
  // loss = Σ r ⊙ conv2(leaky(conv1(x, w1; s2, same) + b1), w2; valid); conv1 stride 2, conv2 3×3 valid.
  const B = 2, H = 9, W = 8, CI = 2, C1 = 3, CO = 2;
  const x = rand(B * H * W * CI, 500), w1 = rand(3 * 3 * CI * C1, 501), b1 = rand(C1, 502), w2 = rand(3 * 3 * C1 * CO, 503);
  const OH1 = Math.ceil(H / 2), OW1 = Math.ceil(W / 2), OH2 = OH1 - 2, OW2 = OW1 - 2;
  const r = rand(B * OH2 * OW2 * CO, 504);
  const conv = (inp: Float64Array, h: number, w: number, ci: number, k: Float64Array, co: number, s: number, pt: number, pl: number, oh: number, ow: number) => {
    const y = new Float64Array(B * oh * ow * co);
    for (let b = 0; b < B; b++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          for (let kh = 0; kh < 3; kh++)
            for (let kw = 0; kw < 3; kw++) {
              const iy = oy * s + kh - pt, ix = ox * s + kw - pl;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let c = 0; c < ci; c++)
                for (let o = 0; o < co; o++) y[((b * oh + oy) * ow + ox) * co + o] += inp[((b * h + iy) * w + ix) * ci + c] * k[((kh * 3 + kw) * ci + c) * co + o];
            }
    return y;
  };
  // TF 'same' with stride 2: total pad max((o−1)·2 + 3 − n, 0), top = floor(total/2).
  const pt = Math.floor(Math.max((OH1 - 1) * 2 + 3 - H, 0) / 2), pl = Math.floor(Math.max((OW1 - 1) * 2 + 3 - W, 0) / 2);
  const loss64 = (p: Float64Array[]) => {
    const h1 = conv(p[0], H, W, CI, p[1], C1, 2, pt, pl, OH1, OW1);
    for (let i = 0; i < h1.length; i++) {
      const v = h1[i] + p[2][i % C1];
      h1[i] = v > 0 ? v : 0.1 * v;
    }
    const y = conv(h1, OH1, OW1, C1, p[3], CO, 1, 0, 0, OH2, OW2);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * r[i];
    return s;
  };
  await ready('wasm');
  const shapes = [[B, H, W, CI], [3, 3, CI, C1], [C1], [3, 3, C1, CO]];
  const vals = [x, w1, b1, w2];
  const before = { ...(nativeKernelStats.Conv2DBackpropFilter ?? { native: 0 }) };
  const grads = tf.tidy(() =>
    tf.grads((xi: tf.Tensor, a: tf.Tensor, bb: tf.Tensor, c: tf.Tensor) => {
      const h = tf.leakyRelu(tf.add(tf.conv2d(xi as tf.Tensor4D, a as tf.Tensor4D, 2, 'same'), bb), 0.1);
      return tf.sum(tf.mul(tf.conv2d(h as tf.Tensor4D, c as tf.Tensor4D, 1, 'valid'), tf.tensor(r, [B, OH2, OW2, CO])));
    })(vals.map((v, i) => tf.tensor(v, shapes[i]))).map((g) => g.dataSync() as Float32Array),
  );
  assert.ok(nativeKernelStats.Conv2DBackpropFilter.native > before.native, 'filter gradient ran natively');
  const p64 = vals.map((v) => Float64Array.from(v));
  const eps = 1e-4;
  for (let k = 0; k < 4; k++)
    for (let i = 0; i < p64[k].length; i += Math.max(1, Math.floor(p64[k].length / 25))) {
      const keep = p64[k][i];
      p64[k][i] = keep + eps;
      const lp = loss64(p64);
      p64[k][i] = keep - eps;
      const lm = loss64(p64);
      p64[k][i] = keep;
      const fd = (lp - lm) / (2 * eps);
      // float32 gradients vs float64 central differences (O(eps²) ≈ 1e-8, away from leaky-ReLU kinks)
      assert.ok(Math.abs(grads[k][i] - fd) <= 1e-4 + 1e-4 * Math.abs(fd), `param ${k}[${i}]: native ${grads[k][i]} vs fd ${fd}`);
    }
});

test('a training step on native kernels leaks no tensors or wasm memory', async () => {
  await ready('wasm');
  const w = tf.variable(tf.tensor4d(rand(3 * 3 * 3 * 8, 600), [3, 3, 3, 8]));
  const d = tf.variable(tf.tensor2d(rand(8 * 4, 601), [8, 4]));
  const x = tf.tensor4d(rand(4 * 12 * 12 * 3, 602), [4, 12, 12, 3]);
  const opt = tf.train.adam(1e-3);
  const step = () => tf.tidy(() => {
    opt.minimize(() => tf.mean(tf.abs(tf.matMul(tf.mean(tf.relu(tf.conv2d(x, w, 2, 'same')), [1, 2]), d))) as tf.Scalar, false, [w, d]);
  });
  step(); // Adam's moment variables are created on the first step
  const before = tf.memory();
  const native0 = nativeKernelStats.Conv2DBackpropFilter.native;
  for (let i = 0; i < 3; i++) step();
  const after = tf.memory();
  assert.ok(nativeKernelStats.Conv2DBackpropFilter.native > native0);
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytes, before.numBytes);
  opt.dispose();
  tf.dispose([w, d, x]);
});

test('native kernels switched off fall back to the wasm kernels with the same results', async () => {
  await ready('wasm');
  const xv = rand(2 * 9 * 8 * 3, 700), fv = rand(3 * 3 * 3 * 4, 701);
  const run = () => tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([tf.tensor4d(xv, [2, 9, 8, 3]), tf.tensor4d(fv, [3, 3, 3, 4])]).map((g) => g.dataSync() as Float32Array));
  const on = run();
  nativeKernelOptions({ enabled: false });
  const fb0 = nativeKernelStats.Conv2DBackpropFilter.fallback;
  try {
    const off = run();
    assert.ok(nativeKernelStats.Conv2DBackpropFilter.fallback > fb0);
    on.forEach((g, i) => close(`grad ${i} native vs wasm`, off[i], g));
  } finally {
    nativeKernelOptions({ enabled: true });
  }
});

test('NUNATAK_NATIVE=0 turns the native path off in a new process', () => {
  const code = "import('./src/core/native/sync-session.ts').then(async (m) => { const c = await import('./src/core/tensor/kernels/native/control.ts'); console.log(JSON.stringify([m.nativeAvailable(), m.nativeUnavailableReason(), c.nativeKernelOptions().enabled])); })";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', env: { ...process.env, NUNATAK_NATIVE: '0' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop() as string), [false, 'disabled by NUNATAK_NATIVE=0', false]);
});

test('stride-1 filter gradient stays right when its zero-padded scratch grid is reused across calls and shapes', async () => {
  // same geometry twice (borders not re-zeroed), another in between, then the first again
  const shapes: Array<[[number, number, number, number], [number, number, number, number], 'same' | 'valid']> = [
    [[2, 7, 6, 3], [3, 3, 3, 2], 'same'], [[2, 7, 6, 3], [3, 3, 3, 2], 'same'], [[1, 9, 5, 2], [2, 3, 2, 3], 'valid'], [[2, 7, 6, 3], [3, 3, 3, 2], 'same'],
  ];
  let seed = 800;
  for (const [xs, fs, pad] of shapes) {
    const info = tf.backend_util.computeConv2DInfo(xs, fs, 1, 1, pad);
    const dyShape = [xs[0], info.outHeight, info.outWidth, fs[3]];
    const xv = rand(sz(xs), seed++), dyv = rand(sz(dyShape), seed++);
    const r = await both('Conv2DBackpropFilter', () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, xs), dy: tf.tensor(dyv, dyShape) }, { strides: 1, pad, dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor);
    close(`dw x${xs} ${pad} (seed ${seed})`, r.cpu, r.wasm);
  }
});
