// Benchmark: one full glacier step (smb_simple → SIA face velocities → centre
// ubar/vbar/velbar_mag → Δt → superbee transport + surface) on N² grids,
// nunatak (AssemblyScript kernels with state in kernel memory, 1 and 2 row-band
// threads; the plain TypeScript kernels as a column) vs the vectorised NumPy peer
// bench/peers/sia_numpy.py (float32, 1 thread) in the same run, plus the
// memory-bandwidth floor. Run: flock /tmp/nunatak-bench.lock npx tsx bench/sia.ts [sizes…]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeState, makeWasmState, step, stepWasm, type StepState } from './sia-step.ts';
import { setSimThreads } from '../src/sim/physics/index.ts';

const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
const NS = sizes.length ? sizes : [256, 512, 1024, 2048];
const DX = 100;
/**
 * Bytes the step must stream per cell (f32, each array once): smb 12 (usurf, thk → smb),
 * SIA 28 (thk, usurf → ux, vy, ubar, vbar, velbar_mag), transport 28 (thk, ux, vy, smb, topg → thk, usurf).
 */
const BYTES_PER_CELL = 68;

function copyBandwidth(): number {
  const n = 16 * 1024 * 1024; // 64 MiB each way, far beyond cache
  const a = new Float32Array(n).fill(1);
  const b = new Float32Array(n);
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    b.set(a);
    best = Math.min(best, performance.now() - t);
  }
  return (8 * n) / (best / 1e3); // bytes read + written per second
}

const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const bw = copyBandwidth();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}; copy bandwidth ${(bw / 1e9).toFixed(2)} GB/s (read+write)`);
/** Min wall and min process-CPU ms of `reps` calls after 2 warm-ups. */
function time(f: () => void, reps: number): { ms: number; cpu: number } {
  f();
  f();
  let ms = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t);
    const d = process.cpuUsage(c);
    cpu = Math.min(cpu, (d.user + d.system) / 1e3);
  }
  return { ms, cpu };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

async function main(): Promise<void> {
  console.log('| grid | wasm 1 thread ms/step (CPU) | wasm 2 threads ms/step wall | TS ms/step (CPU) | NumPy ms/step (CPU) | wasm vs NumPy wall (CPU) | wasm Mcells/s | floor ms (68 B/cell) | wasm ×floor | max abs ΔH 1 step: wasm vs NumPy, wasm vs TS |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const N of NS) {
    const dir = mkdtempSync(join(tmpdir(), 'nk-sia-'));
    const s = makeState(N, DX);
    const w: StepState = makeWasmState(N, DX);
    writeFileSync(join(dir, 'topg.f32'), Buffer.from(s.topg.buffer));
    writeFileSync(join(dir, 'thk.f32'), Buffer.from(s.thk.buffer));
    step(s);
    stepWasm(w);
    const oursTs = s.thk.slice();
    const ours = w.thk.slice();
    const reps = N >= 2048 ? 4 : N >= 1024 ? 8 : 30;
    const py = spawnSync('/usr/bin/python3', ['bench/peers/sia_numpy.py', dir, String(N), String(DX), String(Math.max(3, Math.ceil(reps / 2)))], { env, encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`numpy peer failed: ${py.stderr}`);
    const np = JSON.parse(py.stdout.trim().split('\n').pop()!);
    const theirs = new Float32Array(readFileSync(join(dir, 'thk1_numpy.f32')).buffer.slice(0));
    const dNp = maxDiff(ours, theirs);
    const dTs = maxDiff(ours, oursTs);
    let hmax = 0;
    for (let k = 0; k < ours.length; k++) hmax = Math.max(hmax, ours[k]);
    rmSync(dir, { recursive: true });
    const ts = time(() => step(s), reps);
    const wa = time(() => stepWasm(w), reps);
    await setSimThreads(2);
    const w2 = time(() => stepWasm(w), reps);
    await setSimThreads(1);
    const floor = ((BYTES_PER_CELL * N * N) / bw) * 1e3;
    console.log(
      `| ${N}² | ${wa.ms.toFixed(2)} (${wa.cpu.toFixed(2)}) | ${w2.ms.toFixed(2)} | ${ts.ms.toFixed(2)} (${ts.cpu.toFixed(2)}) | ${np.ms.toFixed(2)} (${np.cpu_ms.toFixed(2)}) | ${(np.ms / wa.ms).toFixed(2)}× (${(np.cpu_ms / wa.cpu).toFixed(2)}×) | ${((N * N) / wa.ms / 1e3).toFixed(1)} | ${floor.toFixed(2)} | ${(wa.ms / floor).toFixed(2)} (CPU ${(wa.cpu / floor).toFixed(2)}) | ${dNp.toExponential(1)} m, ${dTs.toExponential(1)} m (H ≤ ${hmax.toFixed(0)} m) |`,
    );
  }
  const v = spawnSync('/usr/bin/python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).stdout.trim();
  console.log(`(min over repetitions of wall and of process CPU time per step; NumPy ${v}, 1 thread; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end)`);
}

await main();
