// Emulator benchmark: DLE's f2 CNN (16 × [Conv 3×3, 32 filters + LeakyReLU]
// + 1×1 head, 3 → 2 channels). (1) Inference per frame at 256² and 1024²:
// nunatak's ONNX export through ONNX Runtime vs PyTorch CPU with the same
// weights (outputs cross-checked); (2) training throughput (patches/s,
// Adam + clipnorm, MAE, patch 32) of nunatak's fit() vs PyTorch at 1 and 2
// threads in one run: blocks of ≥ 10 s of steps, nunatak and PyTorch
// alternating, 3 blocks each (≥ 30 s per figure); median block throughput
// and the min–max spread; plus one block of the TF.js trainer for reference.
// PyTorch peer: bench/peers/dle_torch.py (a fresh process per block, its
// start-up untimed).
// (3) One ice-flow step on the Hintereisferner grid: the sim's SIA update vs
// one emulator pass (slopes + ONNX Runtime + masking), same thread count.
// Run: flock /tmp/nunatak-bench.lock npx tsx bench/emulator.ts [threads] [batch] [block seconds] [all|network|simstep]
// (threads: inference and sim step; training always runs 1 and 2 threads.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { loadAverage } from './load-average.js';
import { join } from 'node:path';
import { ready, tf } from '../src/core/tensor/index.js';
import { buildNetwork } from '../src/emulator/networks.js';
import { exportOnnx } from '../src/emulator/onnx-export.js';
import { onnxForward } from '../src/emulator/onnx-forward.js';
import { BatchCycler } from '../src/emulator/batches.js';
import { fit } from '../src/emulator/fit.js';
import { Rng } from '../src/emulator/rng.js';

const threads = Number(process.argv[2] ?? 1);
const batch = Number(process.argv[3] ?? 16);
const blockSeconds = Number(process.argv[4] ?? 10);
const part = process.argv[5] ?? 'all';
const patch = 32;
const dir = mkdtempSync(join(tmpdir(), 'nk-bench-emu-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function bestMs(fn: () => Promise<unknown>, minReps = 3, minTotal = 300): Promise<number> {
  await fn();
  const reps: number[] = [];
  let total = 0;
  while (reps.length < minReps || total < minTotal) {
    const t0 = performance.now();
    await fn();
    const dt = performance.now() - t0;
    reps.push(dt);
    total += dt;
  }
  return Math.min(...reps);
}

async function networkBench(): Promise<void> {
  await ready('cpu');
  const spec = { network: 'cnn' as const, nIn: 3, nOut: 2, layers: 16, blocks: 4, filters: 32, kernel: 3, activation: 'lrelu' as const, dropout: 0, l2: 0, seed: 1 };
  const model = buildNetwork(spec);
  model.setWeights(model.getWeights().map((w, k) => (w.rank === 1 ? tf.randomUniform(w.shape, -0.05, 0.05, 'float32', k) : w)));

  // Weights and frames for the peer.
  const layers = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l, k) => {
    const [w, b] = l.getWeights();
    writeFileSync(join(dir, `w${k}.f32`), w.dataSync() as Float32Array);
    writeFileSync(join(dir, `b${k}.f32`), b.dataSync() as Float32Array);
    return { file: `w${k}.f32`, bias: `b${k}.f32`, shape: w.shape };
  });
  const { forward, session } = await onnxForward(exportOnnx(model), 3, 2, { threads });
  const rng = new Rng(1);
  const frames: Array<{ file: string; ny: number; nx: number; nin: number; ref?: string }> = [];
  const ours: Record<number, number> = {};
  for (const n of [256, 1024]) {
    const x = Float32Array.from({ length: n * n * 3 }, () => rng.next() * 2 - 1);
    writeFileSync(join(dir, `x${n}.f32`), x);
    const fr: (typeof frames)[number] = { file: `x${n}.f32`, ny: n, nx: n, nin: 3 };
    if (n === 256) {
      writeFileSync(join(dir, `y${n}.f32`), await forward(x, n, n));
      fr.ref = `y${n}.f32`;
    }
    frames.push(fr);
    ours[n] = await bestMs(() => Promise.resolve(forward(x, n, n)));
  }
  await session.release();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ layers, frames, train: { patch, batch, nin: 3, nout: 2 } }));
  const peer = runPeer([String(threads)]);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\n### DLE f2 CNN (16×32 filters, 139,682 parameters), inference, ${threads} thread(s), ${cpu}, torch ${peer.torch}; load average ${loadAverage()}\n`);
  console.log('| task | nunatak | PyTorch CPU | PyTorch / nunatak |');
  console.log('|---|---|---|---|');
  for (const f of peer.frames) {
    const n = f.ny;
    console.log(`| inference ${n}² frame (ms, ONNX Runtime) | ${ours[n].toFixed(1)} | ${f.ms.toFixed(1)} | ${(f.ms / ours[n]).toFixed(2)} |`);
  }
  const f0 = peer.frames[0];
  console.log(`\nOutputs cross-checked on the 256² frame: max |ONNX Runtime − PyTorch| = ${f0.maxdiff.toExponential(2)} (output scale ${f0.scale.toFixed(3)}).`);

  // Training: same initial weights on both sides (the peer loads the layers written above).
  // The TF.js reference trainer runs on wasm when it has the conv gradients (the CPU backend is plain JS).
  const weights = model.getWeights().map((w) => w.clone());
  await ready(tf.getKernel('Conv2DBackpropFilter', 'wasm') && tf.getKernel('Conv2DBackpropInput', 'wasm') ? 'wasm' : 'cpu');
  const np = 8 * batch;
  const cs = { name: 'b', source: 'bench', nt: 1, ny: patch, nx: patch * np, dx: 1, dy: 1, fields: new Map<string, Float32Array>() };
  for (const f of ['thk', 'slopsurfx', 'slopsurfy', 'ubar', 'vbar']) cs.fields.set(f, Float32Array.from({ length: patch * patch * np }, () => rng.next()));
  const refs = Array.from({ length: np }, (_, k) => ({ c: 0, t: 0, j: 0, i: k * patch }));
  const inputs = ['thk', 'slopsurfx', 'slopsurfy'].map((name) => ({ name, bound: 1 }));
  const outputs = ['ubar', 'vbar'].map((name) => ({ name, bound: 1 }));
  const fo = { batch, valSteps: 0, learningRate: 1e-4, clipnorm: 0.5, l2: 0, loss: 'mae' as const, patience: 1e9, showProgress: false };
  /**
   * One block of ≥ `seconds` of training in ONE fit() call (as a user trains),
   * epochs of ~2 s from the step time `stepSeconds` measured before; the first
   * epoch is a warm-up (a fresh ONNX Runtime session allocates its memory on
   * its first runs) and is not timed, like the peer's warm-up step.
   */
  const oursBlock = async (trainer: 'auto' | 'tfjs', seconds: number, stepSeconds: number): Promise<{ rate: number; label: string; stepSeconds: number }> => {
    const tmodel = buildNetwork(spec);
    tmodel.setWeights(weights);
    const stepsPerEpoch = Math.max(2, Math.round(2 / stepSeconds));
    const epochs = 1 + Math.max(1, Math.ceil(seconds / (stepSeconds * stepsPerEpoch)));
    const r = await fit(tmodel, new BatchCycler({ cases: [cs], refs, patch, inputs, outputs }, true, 1), null, { ...fo, trainer, epochs, stepsPerEpoch });
    tmodel.dispose();
    const timed = r.history.slice(1);
    const elapsed = timed.reduce((a, h) => a + h.seconds, 0);
    const steps = timed.length * stepsPerEpoch;
    return { rate: (steps * batch) / elapsed, label: r.trainer, stepSeconds: elapsed / steps };
  };
  const peerBlock = (t: number, seconds: number): number => {
    const r = runPeer([String(t), 'train', String(seconds)]);
    const total = (r.step_s as number[]).reduce((a, b) => a + b, 0);
    return (r.step_s.length * batch) / total;
  };
  const rows: string[] = [];
  for (const t of [1, 2]) {
    process.env.NUNATAK_THREADS = String(t);
    const step = (await oursBlock('auto', 0, 1)).stepSeconds; // calibration
    const ours: number[] = [];
    const torch: number[] = [];
    let label = '';
    for (let round = 0; round < 3; round++) {
      const b = await oursBlock('auto', blockSeconds, step);
      ours.push(b.rate);
      label = b.label;
      torch.push(peerBlock(t, blockSeconds));
    }
    const tfjs = await oursBlock('tfjs', blockSeconds, (await oursBlock('tfjs', 0, 4 * step)).stepSeconds);
    const med = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
    const spread = (v: number[]): string => `${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}`;
    rows.push(`| ${t} | ${label} | ${med(ours).toFixed(1)} (${spread(ours)}) | ${med(torch).toFixed(1)} (${spread(torch)}) | **${(med(ours) / med(torch)).toFixed(2)}** | ${tfjs.rate.toFixed(1)} (${tfjs.label}, 1 block) |`);
  }
  console.log(`\n### DLE f2 CNN training, patch ${patch}, batch ${batch}, Adam + clipnorm 0.5, MAE; ${cpu}; load average ${loadAverage()}\n`);
  console.log('| threads | nunatak trainer | nunatak patches/s, median (min–max) of 3 blocks | PyTorch patches/s, median (min–max) of 3 blocks | nunatak / PyTorch | TF.js trainer patches/s |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nBlocks of ≥ ${blockSeconds} s, nunatak and PyTorch alternating (≥ ${3 * blockSeconds} s per figure). nunatak: fit() with its batch cycler (augmentation on); PyTorch: fixed tensors.`);
}

/** Run the PyTorch peer on the manifest in `dir`; its last stdout line is JSON. */
function runPeer(args: string[]): any {
  const py = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'peers', 'dle_torch.py'), dir, ...args], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`peer failed: ${py.stderr}`);
  return JSON.parse(py.stdout.trim().split('\n').pop()!);
}

/**
 * One ice-flow step on the Hintereisferner grid (examples/emulator/hef.yaml,
 * 100 m, grown for 300 a by SIA so the glacier is realistic): the sim's
 * iceflow `update` with method sia (wasm SIA kernel + centre velocities, one
 * thread) vs `emulateVelocities` (np.gradient slopes, scaling, one ONNX
 * Runtime pass with `threads` intra-op threads, masking) — the body of
 * method emulated. Two networks with random weights (timing does not depend
 * on them): the example's CNN (6 × 16 filters) and DLE's default f2 CNN.
 */
async function simStepBench(): Promise<void> {
  const { runExperiment } = await import('../src/sim/run.js');
  const { openDataset } = await import('../src/io/netcdf/index.js');
  const { makeGrid } = await import('../src/core/field/grid.js');
  const { SimState } = await import('../src/sim/state.js');
  const iceflow = (await import('../src/sim/modules/processes/iceflow.js')).default;
  const { emulateVelocities } = await import('../src/sim/modules/processes/iceflow-emulator.js');
  const { Emulator } = await import('../src/emulator/emulator.js');
  const run = join(dir, 'hef');
  await runExperiment({ experiment: join(import.meta.dirname, '..', 'examples', 'emulator', 'hef.yaml'), outDir: run, overrides: ['processes.time.end=300', 'processes.time.save=300'] });
  const ds = await openDataset(join(run, 'output.nc'));
  const x = ds.read('x', undefined, 'float64').data;
  const y = ds.read('y', undefined, 'float64').data;
  const [nx, ny] = [x.length, y.length];
  const last = (v: string) => (ds.read(v, undefined, 'float32').data as Float32Array).slice(-nx * ny);
  const state = new SimState(makeGrid({ nx, ny, x0: x[0], y0: y[0], dx: x[1] - x[0], dy: y[1] - y[0] }), { outDir: dir });
  for (const v of ['topg', 'usurf', 'thk']) state.ensure(v).data.set(last(v));
  ds.close();
  const ice = state.get('thk').data.filter((h) => h > 0).length;
  const p = { method: 'sia' as const, emulator: null, emulator_runtime: 'onnx' as const, init_arrhenius: 78, init_slidingco: 0, exp_glen: 3, exp_weertman: 3, ice_density: 910, gravity_cst: 9.81 };
  const cfg = { processes: { iceflow: p } } as unknown as Parameters<typeof iceflow.update>[0];
  await iceflow.initialize(cfg, state);
  const siaMs = await bestMs(async () => iceflow.update(cfg, state), 20, 300);
  const rows: string[] = [];
  await ready('cpu');
  for (const [label, layers, filters] of [['example CNN 6 × 16', 6, 16], ['DLE f2 CNN 16 × 32', 16, 32]] as const) {
    const model = buildNetwork({ network: 'cnn', nIn: 3, nOut: 2, layers, blocks: 4, filters, kernel: 3, activation: 'lrelu', dropout: 0, l2: 0, seed: 1 });
    const { forward, session } = await onnxForward(exportOnnx(model), 3, 2, { threads });
    const meta = { network: 'cnn' as const, blocks: 4, inputs: [{ name: 'thk', bound: 250 }, { name: 'slopsurfx', bound: 0.5 }, { name: 'slopsurfy', bound: 0.5 }], outputs: [{ name: 'ubar', bound: 50 }, { name: 'vbar', bound: 50 }] };
    const emu = new Emulator(meta, forward);
    const ms = await bestMs(() => emulateVelocities(emu, state, p), 20, 300);
    rows.push(`| ${label} (${model.countParams()} parameters) | ${siaMs.toFixed(3)} | ${ms.toFixed(3)} | ${(ms / siaMs).toFixed(1)}× slower |`);
    await session.release();
    model.dispose();
  }
  console.log(`\n### One ice-flow step on the Hintereisferner grid (${ny} × ${nx} cells at 100 m, ${ice} ice cells), ${threads} thread(s), ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
  console.log('| emulator network | SIA iceflow update (ms) | emulator pass, ONNX Runtime (ms) | emulator / SIA |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log('\nBest of ≥ 20 calls after a warm-up. SIA: wasm kernel, single-threaded; emulator: slopes + scaling + ONNX Runtime + masking.');
}

if (part === 'all' || part === 'network') await networkBench();
if (part === 'all' || part === 'simstep') await simStepBench();
