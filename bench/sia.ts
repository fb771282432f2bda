// Benchmark: one full glacier step (smb_simple → SIA face velocities → centre
// ubar/vbar/velbar_mag → Δt → superbee transport + surface) on N² grids,
// nunatak (TypeScript kernels, 1 thread) vs the vectorised NumPy peer
// bench/peers/sia_numpy.py (float32, 1 thread) in the same run, plus the
// memory-bandwidth floor. Run: flock /tmp/nunatak-bench.lock npx tsx bench/sia.ts [sizes…]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeState, step } from './sia-step.ts';

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
console.log('| grid | nunatak ms/step (CPU) | NumPy ms/step (CPU) | speed-up wall (CPU) | nunatak Mcells/s | floor ms (68 B/cell) | ×floor | max abs ΔH vs NumPy, 1 step |');
console.log('|---|---|---|---|---|---|---|---|');
for (const N of NS) {
  const dir = mkdtempSync(join(tmpdir(), 'nk-sia-'));
  const s = makeState(N, DX);
  writeFileSync(join(dir, 'topg.f32'), Buffer.from(s.topg.buffer));
  writeFileSync(join(dir, 'thk.f32'), Buffer.from(s.thk.buffer));
  step(s);
  const ours = s.thk.slice();
  const reps = N >= 2048 ? 4 : N >= 1024 ? 8 : 30;
  const py = spawnSync('/usr/bin/python3', ['bench/peers/sia_numpy.py', dir, String(N), String(DX), String(Math.max(3, Math.ceil(reps / 2)))], { env, encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`numpy peer failed: ${py.stderr}`);
  const np = JSON.parse(py.stdout.trim().split('\n').pop()!);
  const theirs = new Float32Array(readFileSync(join(dir, 'thk1_numpy.f32')).buffer.slice(0));
  let diff = 0;
  let hmax = 0;
  for (let k = 0; k < ours.length; k++) {
    diff = Math.max(diff, Math.abs(ours[k] - theirs[k]));
    hmax = Math.max(hmax, ours[k]);
  }
  rmSync(dir, { recursive: true });
  step(s); // warm-up (JIT)
  step(s);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    step(s);
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1e3);
  }
  const ms = Math.min(...wall);
  const cms = Math.min(...cpu);
  const floor = ((BYTES_PER_CELL * N * N) / bw) * 1e3;
  console.log(
    `| ${N}² | ${ms.toFixed(2)} (${cms.toFixed(2)}) | ${np.ms.toFixed(2)} (${np.cpu_ms.toFixed(2)}) | ${(np.ms / ms).toFixed(2)}× (${(np.cpu_ms / cms).toFixed(2)}×) | ${((N * N) / ms / 1e3).toFixed(1)} | ${floor.toFixed(2)} | ${(ms / floor).toFixed(2)} | ${diff.toExponential(1)} m (H ≤ ${hmax.toFixed(0)} m) |`,
  );
}
console.log('(min over repetitions of wall and of process CPU time per step; both single-threaded; NumPy', (() => { const r = spawnSync('/usr/bin/python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }); return r.stdout.trim(); })(), ')');
