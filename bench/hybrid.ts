/**
 * δHBV 1.0 training-iteration benchmark: nunatak (the LSTM as one fused op on
 * ONNX Runtime MLAS kernels + the fused HBV kernel with hand-written adjoint)
 * vs PyTorch CPU (bench/peers/dhbv_torch.py, the same model op by op), same
 * synthetic inputs, same thread count, in one run. Also checks that both HBVs
 * give the same unrouted Q for the same parameters.
 *
 * usage: npx tsx bench/hybrid.ts [--basins 100] [--days 730] [--warmup 365]
 *        [--nmul 16] [--hidden 256] [--nx 38] [--reps 2] [--threads 1]
 * --threads sets NUNATAK_THREADS (nunatak's native kernels) and PyTorch's
 * torch.set_num_threads / OMP_NUM_THREADS to the same number (default:
 * NUNATAK_THREADS if set, else 1). TF.js-wasm ops and the HBV kernel run on
 * one thread regardless.
 */
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { loadAverage } from './load-average.js';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tf, ready } from '../src/core/tensor/index.js';
import { nativeAvailable, nativeThreads } from '../src/core/native/sync-session.js';
import { syntheticForcing } from '../src/hybrid/data/synthetic.js';
import { HbvModel } from '../src/hybrid/hbv/model.js';
import { hbvForward } from '../src/hybrid/hbv/kernel.js';
import { hbvOp } from '../src/hybrid/hbv/op.js';
import { outputSizes } from '../src/hybrid/mapper.js';
import { DifferentiableModel, type Batch } from '../src/hybrid/model.js';
import { LstmParameteriser } from '../src/hybrid/nn/lstm.js';
import { makeRng } from '../src/hybrid/nn/init.js';
import { gammaUhWeights, uhConv } from '../src/hybrid/routing.js';
import { rmseComb } from '../src/hybrid/train/losses.js';
import { Optimizer } from '../src/hybrid/train/optim.js';

const arg = (k: string, d: number) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const nb = arg('basins', 100), nt = arg('days', 730), W = arg('warmup', 365), nm = arg('nmul', 16), H = arg('hidden', 256), nx = arg('nx', 38), reps = arg('reps', 2);
// one thread count for both sides; set before any native session is created
process.env.NUNATAK_THREADS = String(arg('threads', Number(process.env.NUNATAK_THREADS ?? 1)));

/** Best wall-clock and best process-CPU seconds over `reps` runs after one warm-up run. */
function timeit(f: () => void): { wall: number; cpu: number } {
  f();
  let wall = Infinity, cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

const KEYS = ['iteration', 'forward', 'process', 'nn'] as const;
const LABEL = { iteration: 'iteration', forward: 'forward', process: 'HBV+routing fwd+bwd', nn: 'NN alone (Linear→LSTM→Linear) fwd+bwd' };
type Times = Record<(typeof KEYS)[number], { wall: number; cpu: number }>;
const fmt = (t: Times) => KEYS.map((k) => `${LABEL[k]} ${t[k].wall.toFixed(2)} s (CPU ${t[k].cpu.toFixed(2)} s)`).join(', ');

async function main(): Promise<void> {
  await ready('wasm');
  const threads = nativeThreads();
  const na = nx - 3;
  const syn = syntheticForcing(nb, nt, na, 42);
  const f = syn.forcing;
  const rng = makeRng(7);
  const x = Float32Array.from({ length: nt * nb * nx }, () => rng() * 2 - 1);
  const qobs = Float32Array.from({ length: (nt - W) * nb }, () => 0.5 + 3 * rng());
  const phy = new HbvModel('hbv1.0', ['BETA', 'BETAET']);
  const np = phy.paramNames.length;
  const spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynIndex, nm, routing: true };
  const nn = new LstmParameteriser({ nx, hidden: H, ny: outputSizes(spec, 'seq').seq, dropout: 0, seed: 1 });
  const model = new DifferentiableModel(nn, phy, { nmul: nm, warmUp: W, warmUpStates: true, routing: true });
  // the NN sees x as given (forcings + attributes already together), so attributes are empty here
  const batch: Batch = { x: tf.tensor3d(x, [nt, nb, nx]), c: tf.zeros([nb, 0]) as tf.Tensor2D, forcing: f };
  const obs = tf.tensor2d(qobs, [nt - W, nb]);
  const opt = new Optimizer('adadelta', 1.0);
  const vars = [...model.variables.entries()];
  const iteration = () => {
    const { value, grads } = tf.variableGrads(() => rmseComb(model.forward(batch, true).Q, obs), vars.map(([, v]) => v));
    opt.apply(model.variables, new Map(vars.map(([k, v]) => [k, grads[v.name]])));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const forward = () => tf.tidy(() => model.forward(batch, false).Q.dataSync());
  // the NN alone: gradient of a fixed random projection of its output
  const ny = outputSizes(spec, 'seq').seq;
  const rw = makeRng(11); // own stream: the fixed parameters below stay as in earlier runs
  const wy = tf.tensor3d(Float32Array.from({ length: nt * nb * ny }, () => (rw() - 0.5) * 1e-3), [nt, nb, ny]);
  const nnOnly = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(nn.forward(batch.x, batch.c, true).seq!, wy)) as tf.Scalar, vars.map(([, v]) => v));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };

  // fixed physical parameters for the process-only timing and the cross-check
  const params = new Float32Array(nb * np * nm), dyn = new Float32Array(nt * nb * 2 * nm), rout = new Float32Array(nb * 2);
  for (let b = 0; b < nb; b++) for (let k = 0; k < np; k++) for (let m = 0; m < nm; m++) {
    const { lo, hi } = phy.bounds[phy.paramNames[k]];
    params[(b * np + k) * nm + m] = lo + (0.1 + 0.8 * rng()) * (hi - lo);
  }
  for (let t = 0; t < nt; t++) for (let b = 0; b < nb; b++) for (let m = 0; m < nm; m++) {
    dyn[((t * nb + b) * 2) * nm + m] = 1 + 5 * (0.1 + 0.8 * rng());
    dyn[((t * nb + b) * 2 + 1) * nm + m] = 0.3 + 4.7 * (0.1 + 0.8 * rng());
  }
  for (let b = 0; b < nb; b++) {
    rout[2 * b] = 2.9 * rng();
    rout[2 * b + 1] = 6.5 * rng();
  }
  const pT = tf.variable(tf.tensor3d(params, [nb, np, nm])), dT = tf.tensor4d(dyn, [nt, nb, 2, nm]), rT = tf.variable(tf.tensor2d(rout, [nb, 2]));
  const dMain = tf.variable(tf.slice(dT, [W, 0, 0, 0], [nt - W, nb, 2, nm]));
  const sub = (a: Float32Array) => a.subarray(W * nb);
  const process_ = () => {
    const st = hbvForward({ nt: W, nb, nm, np, P: f.P.subarray(0, W * nb), T: f.T.subarray(0, W * nb), PET: f.PET.subarray(0, W * nb), params, dynIndex: phy.dynIndex, dyn: dyn.subarray(0, W * nb * 2 * nm) }, phy.flags).final;
    const { value, grads } = tf.variableGrads(() => {
      const q = hbvOp({ P: sub(f.P), T: sub(f.T), PET: sub(f.PET), nt: nt - W, nb, flags: phy.flags, dynIndex: phy.dynIndex, init: st }, pT, dMain as unknown as tf.Tensor4D);
      const [a, b] = tf.split(rT, 2, 1);
      return rmseComb(uhConv(q, gammaUhWeights(a.reshape([-1]) as tf.Tensor1D, b.reshape([-1]) as tf.Tensor1D)), obs);
    }, [pT, dMain, rT]);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };

  const dir = mkdtempSync(join(tmpdir(), 'nk-bench-hybrid-'));
  const w = (n: string, a: Float32Array) => writeFileSync(join(dir, `${n}.f32`), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  w('P', f.P); w('T', f.T); w('PET', f.PET); w('x', x); w('qobs', qobs); w('params', params); w('dyn', dyn); w('rout', rout);

  console.log(`load average before the run: ${loadAverage()} on ${availableParallelism()} cores`);
  console.log(`δHBV 1.0 bench: ${nb} basins × ${nt} days (${W} warm-up), nmul ${nm}, LSTM hidden ${H}, ${nx} inputs, threads ${threads} (nunatak native kernels: ${nativeAvailable() ? 'ONNX Runtime MLAS' : 'unavailable, portable loops'}; PyTorch: same), best of ${reps}`);
  const nk: Times = { iteration: timeit(iteration), forward: timeit(forward), process: timeit(process_), nn: timeit(nnOnly) };
  console.log(`nunatak: ${fmt(nk)}`);
  const py = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'peers', 'dhbv_torch.py'), dir, ...[nb, nt, W, nm, H, nx, reps, threads].map(String)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) } });
  if (py.status !== 0) throw new Error(`torch peer failed: ${py.stderr}`);
  const pr = JSON.parse(py.stdout.trim().split('\n').pop()!);
  const pt: Times = { iteration: pr.iteration, forward: pr.forward, process: pr.process, nn: pr.nn };
  console.log(`pytorch ${pr.torch}: ${fmt(pt)} (threads ${pr.threads})`);
  // cross-check: unrouted Q for the fixed parameters over all days
  const qn = hbvForward({ nt, nb, nm, np, P: f.P, T: f.T, PET: f.PET, params, dynIndex: phy.dynIndex, dyn }, phy.flags).Q;
  const qb = readFileSync(join(dir, 'q_torch.f32')); // small files come from Node's shared Buffer pool: honour byteOffset
  const qt = new Float32Array(qb.buffer.slice(qb.byteOffset, qb.byteOffset + qb.byteLength));
  let worst = 0, qmax = 0;
  for (let i = 0; i < qn.length; i++) {
    worst = Math.max(worst, Math.abs(qn[i] - qt[i]));
    qmax = Math.max(qmax, Math.abs(qn[i]));
  }
  console.log(`cross-check: max |Q_nunatak − Q_torch| = ${worst.toExponential(2)} mm/d (max Q ${qmax.toFixed(2)}; torch runs float32)`);
  const ratio = (k: keyof Times) => `${k} ${(pt[k].wall / nk[k].wall).toFixed(2)} (CPU ${(pt[k].cpu / nk[k].cpu).toFixed(2)})`;
  console.log(`ratios PyTorch / nunatak (>1 = nunatak faster), wall (CPU): ${KEYS.map(ratio).join(', ')}`);
  console.log(`load average after the run: ${loadAverage()} on ${availableParallelism()} cores`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
