/**
 * Native (ONNX Runtime MLAS) vs wasm TF.js kernels, per call, from tiny to
 * DLE-layer sizes: where the crossover lies (control.ts DEFAULT_MIN_FLOPS)
 * and what each kernel gains. Median of timed calls after a warm-up.
 *
 * Run: NUNATAK_THREADS=1 flock /tmp/nunatak-bench.lock npx tsx bench/native-kernels.ts
 */
import { cpus } from 'node:os';
import { tf, ready } from '../src/core/tensor/index.js';
import { nativeKernelOptions } from '../src/core/tensor/kernels/native/control.js';
import { nativeThreads } from '../src/core/native/sync-session.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of `f` (which returns a tensor to read back), repeated for ≥ 150 ms total. */
function time(f: () => tf.Tensor): number {
  tf.tidy(() => { f().dataSync(); }); // braces: returning the array would make tidy walk it
  const ts: number[] = [];
  let total = 0;
  while (ts.length < 5 || (total < 150 && ts.length < 2000)) {
    const t0 = performance.now();
    tf.tidy(() => { f().dataSync(); }); // braces: returning the array would make tidy walk it
    const dt = performance.now() - t0;
    ts.push(dt);
    total += dt;
  }
  return median(ts);
}

await ready('wasm');
nativeKernelOptions({ minFlops: 0 });
const rows: string[] = [];
const row = (name: string, flops: number, f: () => tf.Tensor) => {
  nativeKernelOptions({ enabled: true });
  const n = time(f);
  nativeKernelOptions({ enabled: false });
  const w = time(f);
  rows.push(`| ${name} | ${flops.toExponential(1)} | ${w.toFixed(3)} | ${n.toFixed(3)} | ${(w / n).toFixed(2)} |`);
  process.stderr.write(rows[rows.length - 1] + '\n');
};

for (const n of (process.env.NK_ONLY_CONV ? [] : [4, 8, 16, 32, 64, 128, 256])) {
  const a = tf.randomUniform([n, n]), b = tf.randomUniform([n, n]);
  row(`matMul ${n}×${n}·${n}×${n}`, 2 * n ** 3, () => tf.matMul(a, b));
}
for (const [B, S, C] of (process.env.NK_ONLY_CONV ? [[64, 32, 32]] : [[1, 4, 4], [1, 8, 8], [1, 16, 8], [4, 16, 16], [8, 32, 32], [64, 32, 32]])) {
  const x = tf.randomUniform([B, S, S, C]) as tf.Tensor4D, w = tf.randomUniform([3, 3, C, C]) as tf.Tensor4D;
  const flops = 2 * B * S * S * C * C * 9;
  const dy = tf.randomUniform([B, S, S, C]) as tf.Tensor4D;
  row(`conv2d ${B}×${S}²×${C} ⊛ 3×3×${C}×${C}`, flops, () => tf.conv2d(x, w, 1, 'same'));
  row(`  dx (Conv2DBackpropInput)`, flops, () => tf.conv2dTranspose(dy, w, [B, S, S, C], 1, 'same'));
  row(`  dw (Conv2DBackpropFilter)`, flops, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, C, C] }) as tf.Tensor);
}
console.log(`\n${cpus().length} × ${cpus()[0]?.model}, native threads ${nativeThreads()}\n`);
console.log('| op | flops | wasm (ms) | native (ms) | wasm / native |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
