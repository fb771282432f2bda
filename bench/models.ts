/**
 * Models face benchmarks (run as `flock /tmp/nunatak-bench.lock npx tsx bench/models.ts`):
 *  1. time-loop overhead (best of 9 alternating runs, and the median of the
 *     per-pair ratio loop/direct): the example ONNX forecaster (37×49, 2 history levels)
 *     rolled out through nunatak's Inference time loop vs a bare ONNX Runtime
 *     loop that does the same normalisation and window sliding by hand;
 *  2. ensemble throughput: 16 members × 50 steps through `runRollout` on the
 *     threads executor with 1 and 2 workers (null sink: compute only).
 */
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readPackage } from '../src/models/package.js';
import { loadTimeLoop } from '../src/models/load.js';
import { NetcdfSource } from '../src/models/netcdf-source.js';
import { initialState } from '../src/models/datasource.js';
import { runRollout, type RolloutPlan } from '../src/models/rollout.js';
import { createExecutor } from '../src/exec/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const pkg = readPackage(join(ROOT, 'examples', 'models', 'network'));
const src = await NetcdfSource.open(join(ROOT, 'data', 'models', 'A1B_north_america.nc'), { lexicon: { t2m: 'air_temperature' } });
const t0 = new Date(Date.UTC(2041, 5, 1));
const x = await initialState(src, pkg, t0);
const STEPS = 400;

function batch(B: number) {
  const d = new Float32Array(B * x.data.length);
  for (let b = 0; b < B; b++) d.set(x.data, b * x.data.length);
  return { data: d, shape: [B, ...x.shape.slice(1)] };
}

async function viaLoop(B: number): Promise<number> {
  const loop = await loadTimeLoop(pkg);
  const xb = batch(B);
  const t = performance.now();
  for await (const it of loop.loop(t0, xb)) if (it.step === STEPS) break;
  const ms = performance.now() - t;
  await loop.close?.();
  return ms;
}

async function direct(B: number): Promise<number> {
  const s = await ort.InferenceSession.create(join(pkg.dir, 'network.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const c = pkg.center![0], sc = pkg.scale![0];
  const n = 37 * 49;
  const t = performance.now();
  let w = Float32Array.from(batch(B).data, (v) => (v - c) / sc);
  for (let k = 0; k < STEPS; k++) {
    const out = await s.run({ x: new ort.Tensor('float32', w, [B, 2, 1, 37, 49]) });
    const y = out.y.data as Float32Array;
    const phys = new Float32Array(B * n);
    for (let p = 0; p < B * n; p++) phys[p] = y[p] * sc + c; // the de-normalised output a user would keep
    const next = new Float32Array(2 * B * n);
    for (let b = 0; b < B; b++) {
      next.set(w.subarray((2 * b + 1) * n, (2 * b + 2) * n), 2 * b * n);
      next.set(y.subarray(b * n, (b + 1) * n), (2 * b + 1) * n);
    }
    w = next;
  }
  const ms = performance.now() - t;
  await s.release();
  return ms;
}

function median(a: number[]): number {
  const b = [...a].sort((p, q) => p - q);
  return b[Math.floor(b.length / 2)];
}

function best(a: number[]): number {
  return Math.min(...a);
}

for (const B of [1, 16]) {
  const loopMs: number[] = [];
  const directMs: number[] = [];
  await viaLoop(B); // warm-up (session creation, JIT)
  for (let r = 0; r < 9; r++) {
    directMs.push(await direct(B));
    loopMs.push(await viaLoop(B));
  }
  const bl = best(loopMs), bd = best(directMs);
  console.log(`rollout ${STEPS} steps, batch ${B}: time loop ${bl.toFixed(1)} ms (${((STEPS * 1000) / bl).toFixed(0)} steps/s), direct ORT ${bd.toFixed(1)} ms (${((STEPS * 1000) / bd).toFixed(0)} steps/s), overhead ${(((bl - bd) / bd) * 100).toFixed(1)} % (${(((bl - bd) / STEPS) * 1000).toFixed(0)} µs/step; median ratio ${median(loopMs.map((v, i) => v / directMs[i])).toFixed(3)})`);
}

const plan: RolloutPlan = {
  pkg,
  startTimes: [t0],
  steps: 50,
  members: 16,
  batchSize: 1,
  perturbation: { method: 'gaussian', amplitude: 0.3, seed: 1 },
  every: 1,
  channels: ['t2m'],
  region: { y0: 0, y1: 37, x0: 0, x1: 49 },
  chunkSteps: 50,
};
const nullSink = { write() {}, saveProgress() {} };
for (const workers of [1, 2]) {
  const ex = await createExecutor({ kind: 'threads', workers });
  await runRollout({ ...plan, members: 2 }, src, ex, nullSink); // warm the workers (model load)
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await runRollout(plan, src, ex, nullSink);
    times.push(performance.now() - t);
  }
  await ex.close();
  const ms = best(times);
  console.log(`ensemble 16 members × 50 steps, threads executor ${workers} worker(s): ${ms.toFixed(0)} ms, ${((16 * 50 * 1000) / ms).toFixed(0)} member-steps/s`);
}
src.close();
