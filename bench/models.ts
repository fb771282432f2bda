/**
 * Models face benchmarks (run as `flock /tmp/nunatak-bench.lock npx tsx bench/models.ts`):
 *  1. time-loop overhead: the example ONNX forecaster (37×49, 2 history levels)
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

async function viaLoop(): Promise<number> {
  const loop = await loadTimeLoop(pkg);
  const t = performance.now();
  for await (const it of loop.loop(t0, x)) if (it.step === STEPS) break;
  const ms = performance.now() - t;
  await loop.close?.();
  return ms;
}

async function direct(): Promise<number> {
  const s = await ort.InferenceSession.create(join(pkg.dir, 'network.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const c = pkg.center![0], sc = pkg.scale![0];
  const n = 37 * 49;
  const t = performance.now();
  let w = Float32Array.from(x.data, (v) => (v - c) / sc);
  for (let k = 0; k < STEPS; k++) {
    const out = await s.run({ x: new ort.Tensor('float32', w, [1, 2, 1, 37, 49]) });
    const y = out.y.data as Float32Array;
    const phys = new Float32Array(n);
    for (let p = 0; p < n; p++) phys[p] = y[p] * sc + c; // the de-normalised output a user would keep
    const next = new Float32Array(2 * n);
    next.set(w.subarray(n), 0);
    next.set(y, n);
    w = next;
  }
  const ms = performance.now() - t;
  await s.release();
  return ms;
}

function best(a: number[]): number {
  return Math.min(...a);
}

const loopMs: number[] = [];
const directMs: number[] = [];
await viaLoop(); // warm-up (session creation, JIT)
for (let r = 0; r < 5; r++) {
  directMs.push(await direct());
  loopMs.push(await viaLoop());
}
const bl = best(loopMs), bd = best(directMs);
console.log(`rollout ${STEPS} steps, batch 1: time loop ${bl.toFixed(1)} ms (${((STEPS * 1000) / bl).toFixed(0)} steps/s), direct ORT ${bd.toFixed(1)} ms (${((STEPS * 1000) / bd).toFixed(0)} steps/s), overhead ${(((bl - bd) / bd) * 100).toFixed(1)} %`);

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
