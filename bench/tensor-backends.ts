/**
 * Tensor backends on the DLE emulator conv net: 3 → 16 × [conv 3×3, 32
 * filters, leaky ReLU 0.01] → 1×1 conv to 2 channels.
 *  - inference on one 256×256×3 frame
 *  - one training step (Adam, MAE) on a batch of 64 patches 32×32×3
 * on TF.js wasm (its own + nunatak's wasm kernels, then with the native
 * ONNX Runtime kernels at 1 and 2 threads) and cpu, the same net through ONNX
 * Runtime (exported with nunatak's graph builder, output checked against
 * TF.js), and PyTorch CPU (bench/peers/tensor_torch.py) at 1 and 2 threads in
 * the same run. Ratios compare equal thread counts.
 *
 * Run: flock /tmp/nunatak-bench.lock npx tsx bench/tensor-backends.ts [threads=2]
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { tf, ready } from '../src/core/tensor/index.js';
import { OnnxGraphBuilder, OnnxSession, hwioToOihw } from '../src/core/onnx/index.js';
import { nativeKernelOptions } from '../src/core/tensor/kernels/native/control.js';
import { resetNativeSessions } from '../src/core/tensor/kernels/native/graphs.js';

/** Native kernels off, or on with `threads` ONNX Runtime threads. */
function useNativeKernels(threads: number | null): void {
  resetNativeSessions();
  if (threads !== null) process.env.NUNATAK_THREADS = String(threads);
  nativeKernelOptions({ enabled: threads !== null });
}

const THREADS = Number(process.argv[2] ?? 2);
const LAYERS = 16;
const F = 32;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

async function timeMs(f: () => Promise<void> | void, reps: number, warmUp = true): Promise<number> {
  if (warmUp) await f(); // kernel setup, XNNPACK operator creation
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

/** Deterministic weights shared by every nunatak backend (He-scaled uniform). */
function weights(): Array<{ w: Float32Array; wShape: [number, number, number, number]; b: Float32Array }> {
  let seed = 1;
  const rnd = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      a[i] = ((seed / 4294967296) * 2 - 1) * scale;
    }
    return a;
  };
  const out = [];
  let cin = 3;
  for (let l = 0; l < LAYERS; l++) {
    out.push({ w: rnd(9 * cin * F, Math.sqrt(6 / (9 * cin))), wShape: [3, 3, cin, F] as [number, number, number, number], b: rnd(F, 0.01) });
    cin = F;
  }
  out.push({ w: rnd(F * 2, Math.sqrt(6 / F)), wShape: [1, 1, F, 2] as [number, number, number, number], b: rnd(2, 0.01) });
  return out;
}

function tfNet(vars: tf.Variable[]) {
  const predict = (x: tf.Tensor4D, fused: boolean): tf.Tensor4D => {
    let h = x;
    for (let l = 0; l <= LAYERS; l++) {
      const w = vars[2 * l] as tf.Tensor4D;
      const b = vars[2 * l + 1] as tf.Tensor1D;
      const last = l === LAYERS;
      if (fused) {
        h = tf.fused.conv2d({ x: h, filter: w, bias: b, strides: 1, pad: 'same', activation: last ? 'linear' : 'leakyrelu', leakyreluAlpha: 0.01 });
      } else {
        h = tf.add(tf.conv2d(h, w, 1, 'same'), b);
        if (!last) h = tf.leakyRelu(h, 0.01);
      }
    }
    return h;
  };
  return predict;
}

/** The cpu backend is far slower: it runs once without warm-up, on a `frameSize`² frame; `trainReps < 0` skips training. */
async function runTfjs(backend: 'wasm' | 'cpu', inferReps: number, trainReps: number, batch = 64, frameSize = 256, label: string = backend): Promise<{ infer: number; train: number; out: Float32Array }> {
  const warm = backend === 'wasm';
  process.stderr.write(`TF.js ${label}...\n`);
  await ready(backend);
  const ws = weights();
  const vars = ws.flatMap((l) => [tf.variable(tf.tensor4d(l.w, l.wShape)), tf.variable(tf.tensor1d(l.b))]);
  const predict = tfNet(vars);
  const frame = tf.randomUniform([1, frameSize, frameSize, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  const xb = tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
  const yb = tf.randomUniform([batch, 32, 32, 2], 0, 1, 'float32', 9) as tf.Tensor4D;
  const opt = tf.train.adam(1e-4);
  let out: Float32Array = new Float32Array(0);
  const infer = await timeMs(() => tf.tidy(() => { out = predict(frame, true).dataSync() as Float32Array; }), inferReps, warm);
  const train = trainReps < 0 ? NaN : await timeMs(() => tf.tidy(() => {
    const loss = opt.minimize(() => tf.mean(tf.abs(tf.sub(predict(xb, false), yb))) as tf.Scalar, true, vars);
    loss?.dataSync();
  }), trainReps, warm);
  opt.dispose();
  tf.dispose([frame, xb, yb, ...vars]);
  process.stderr.write(`  ${label}: inference (${frameSize}²) ${infer.toFixed(0)} ms, train step (${batch} patches) ${train.toFixed(0)} ms\n`);
  return { infer, train, out };
}

async function runOnnx(inferReps: number): Promise<{ infer: number; out: Float32Array }> {
  const g = new OnnxGraphBuilder('dle_emulator');
  let h = g.input('x', [1, 3, 256, 256]);
  weights().forEach((l, i) => {
    const [KH, KW, CI, CO] = l.wShape;
    const w = g.weight(`w${i}`, hwioToOihw(l.w, l.wShape), [CO, CI, KH, KW]);
    const b = g.weight(`b${i}`, l.b, [CO]);
    h = g.conv(h, w, b, { pads: KH === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0] });
    if (i < LAYERS) h = g.leakyRelu(h, 0.01);
  });
  g.output(h, 'y');
  const s = await OnnxSession.create(g.toBytes(), { threads: THREADS });
  await ready('wasm');
  const frame = tf.randomUniform([1, 256, 256, 3], 0, 1, 'float32', 7);
  const xn = tf.tidy(() => tf.transpose(frame, [0, 3, 1, 2]).dataSync() as Float32Array);
  frame.dispose();
  let out: Float32Array = new Float32Array(0);
  const infer = await timeMs(async () => {
    out = (await s.run({ x: { data: xn, shape: [1, 3, 256, 256] } })).y.data;
  }, inferReps);
  await s.release();
  // NCHW → NHWC for comparison with TF.js.
  const nhwc = new Float32Array(out.length);
  for (let c = 0; c < 2; c++) for (let p = 0; p < 256 * 256; p++) nhwc[p * 2 + c] = out[c * 256 * 256 + p];
  return { infer, out: nhwc };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / Math.max(s, 1e-30);
}

async function main(): Promise<void> {
  const torch = (threads: number) => {
    const r = spawnSync('/usr/bin/python3', ['bench/peers/tensor_torch.py', String(threads), '5', '3'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`torch peer failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop() as string) as { torch: string; threads: number; infer_ms: number; train_ms: number };
  };
  process.stderr.write('PyTorch...\n');
  const t2 = torch(THREADS);
  const t1 = torch(1);
  process.stderr.write(`  ${JSON.stringify(t2)}\n  ${JSON.stringify(t1)}\n`);
  useNativeKernels(null);
  const wasm = await runTfjs('wasm', 5, 3, 64, 256, 'wasm (wasm kernels only)');
  useNativeKernels(1);
  const nat1 = await runTfjs('wasm', 5, 3, 64, 256, 'wasm + native kernels, 1 thread');
  useNativeKernels(THREADS);
  const natT = await runTfjs('wasm', 5, 3, 64, 256, `wasm + native kernels, ${THREADS} threads`);
  process.stderr.write('ONNX Runtime...\n');
  const onnx = await runOnnx(5);
  // cpu: inference on a 64×64 frame (1/16 of the work, scaled ×16 in the ratio).
  // Its training step is left out: 4 patches took 330 s here (BENCHMARKS.md).
  const cpu = await runTfjs('cpu', 1, -1, 1, 64);
  const check = maxRelDiff(onnx.out, wasm.out);
  const checkNative = Math.max(maxRelDiff(nat1.out, wasm.out), maxRelDiff(natT.out, wasm.out));
  // cpu ran a 64×64 frame: check it against wasm on the same frame.
  await ready('wasm');
  const wasmSmall = await runTfjs('wasm', 0, 0, 1, 64);
  const check2 = maxRelDiff(cpu.out, wasmSmall.out);
  // backend time / PyTorch time at the same thread count (> 1: nunatak slower)
  const r = (x: number, torchMs: number): string => (x / torchMs).toFixed(2);
  const rows = [
    '| backend | threads | inference 256×256×3 (ms) | ÷ PyTorch, same threads | train step 64×32×32×3 (ms) | ÷ PyTorch, same threads |',
    '|---|---|---|---|---|---|',
    `| PyTorch ${t1.torch} CPU | 1 | ${t1.infer_ms.toFixed(0)} | 1.00 | ${t1.train_ms.toFixed(0)} | 1.00 |`,
    `| PyTorch ${t2.torch} CPU | ${t2.threads} | ${t2.infer_ms.toFixed(0)} | 1.00 | ${t2.train_ms.toFixed(0)} | 1.00 |`,
    `| nunatak TF.js wasm, wasm kernels only (NUNATAK_NATIVE=0) | 1 | ${wasm.infer.toFixed(0)} | ${r(wasm.infer, t1.infer_ms)} | ${wasm.train.toFixed(0)} | ${r(wasm.train, t1.train_ms)} |`,
    `| nunatak TF.js wasm + native kernels | 1 | ${nat1.infer.toFixed(0)} | ${r(nat1.infer, t1.infer_ms)} | ${nat1.train.toFixed(0)} | ${r(nat1.train, t1.train_ms)} |`,
    `| nunatak TF.js wasm + native kernels | ${THREADS} | ${natT.infer.toFixed(0)} | ${r(natT.infer, t2.infer_ms)} | ${natT.train.toFixed(0)} | ${r(natT.train, t2.train_ms)} |`,
    `| nunatak TF.js cpu (1 run, no warm-up, 64×64 frame, ratio scaled ×16) | 1 | ${cpu.infer.toFixed(0)} (64×64 frame) | ${r(cpu.infer * 16, t1.infer_ms)} | not run (too slow) | |`,
    `| nunatak ONNX Runtime ${'1.30'} (cpu EP) | ${THREADS} | ${onnx.infer.toFixed(0)} | ${r(onnx.infer, t2.infer_ms)} | n/a (inference only) | |`,
  ];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}; ratios = backend time / PyTorch time at the same thread count (< 1: nunatak faster)`);
  console.log(rows.join('\n'));
  console.log(`output check (inference frame): max|ONNX − wasm|/max|wasm| = ${check.toExponential(2)}, max|native − wasm|/max|wasm| = ${checkNative.toExponential(2)}, max|cpu − wasm|/max|wasm| = ${check2.toExponential(2)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
