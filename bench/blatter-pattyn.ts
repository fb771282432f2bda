// Benchmark: the Blatter–Pattyn energy (IGM 2.x formulation) and its gradient
// — the unit of work of one solver iteration or one emulator-training step —
// nunatak's fused AssemblyScript energy + adjoint kernel vs a PyTorch CPU peer
// (bench/peers/bp_torch.py: the same energy op by op in float32 with autograd,
// as IGM does in TensorFlow), same thread count on both sides.
// Grids: Hintereisferner (RGI60-11.00897) at 100 m and 50 m — SRTM DEM as the
// surface, a perfectly-plastic thickness profile under the RGI outline — and a
// 256² bumpy ice cap, all with Nz = 10 levels.
// Both sides print J and the gradient norms; they must agree (checked here).
// Each figure is the median per-call time over ≥ `--seconds` of calls per
// round, peers alternating over `--rounds` rounds.
//
//   flock /tmp/nunatak-bench.lock npx tsx bench/blatter-pattyn.ts [--threads N] [--seconds S] [--rounds R] [--grids hef100,hef50,cap256] [--rows energy,full] [--solve-nbitmax N] [--vectors wasm|ts] [--quick]
//
// Each table row is one function of type RowFn in ROWS below. The emulated
// step vs solved step comparison is bench/bp-emulated-vs-solved.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { glacierDomain } from '../src/io/geo/index.ts';
import { northward } from '../src/sim/grid-ops.ts';
import { solveBP } from '../src/sim/physics/bp/bp-solve.ts';
import { bpProblem, defaultBPSettings, setBPThreads, bpThreads, type BPGeometry, type BPSettings } from '../src/sim/physics/bp/index.ts';
import { makeState } from './sia-step.ts';

export interface BenchOptions {
  threads: number;
  seconds: number;
  rounds: number;
}

/** One benchmark grid: geometry, settings and a plausible velocity field. */
export interface BenchCase {
  name: string;
  geom: BPGeometry;
  settings: BPSettings;
  U: Float32Array;
  V: Float32Array;
  /** Imposed-entry mask (1 free) for the peer. */
  free: Uint8Array;
}

/** A table row: returns its cells (after the grid name). */
export type RowFn = (c: BenchCase, o: BenchOptions) => Promise<string[]>;

const A = 78;
const SLIDINGCO = 0.0464;
const RHOG = 910 * 9.81;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

/** Nz-level velocity: speed 20 + 0.2 H m a⁻¹ down the surface slope, SIA-like profile, zero where ice-free. */
function velocity(geom: BPGeometry, Nz: number): [Float32Array, Float32Array] {
  const { nx, ny, dx, thk, usurf } = geom;
  const U = new Float32Array(Nz * nx * ny), V = new Float32Array(Nz * nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const c = j * nx + i;
      if (!(thk[c] > 0)) continue;
      const gx = (usurf[j * nx + Math.min(i + 1, nx - 1)] - usurf[j * nx + Math.max(i - 1, 0)]) / (2 * dx);
      const gy = (usurf[Math.min(j + 1, ny - 1) * nx + i] - usurf[Math.max(j - 1, 0) * nx + i]) / (2 * dx);
      const g = Math.hypot(gx, gy) || 1;
      const speed = 20 + 0.2 * thk[c];
      for (let k = 0; k < Nz; k++) {
        const z = k / (Nz - 1);
        const prof = 0.3 + 0.7 * (1 - (1 - z) ** 4);
        U[k * nx * ny + c] = (-speed * prof * gx) / g;
        V[k * nx * ny + c] = (-speed * prof * gy) / g;
      }
    }
  }
  return [U, V];
}

function makeCase(name: string, geom: BPGeometry, Nz: number): BenchCase {
  const settings = defaultBPSettings({ Nz });
  const [U, V] = velocity(geom, Nz);
  const P = bpProblem(geom, settings, { backend: 'ts' });
  const free = P.free;
  P.dispose();
  return { name, geom, settings, U, V, free };
}

/** Hintereisferner at `dx` m: DEM = surface, H = √(2 τ d / (ρ g)) with τ = 150 kPa, d = distance to the outline edge. */
export async function hefCase(dx: number, Nz = 10): Promise<BenchCase> {
  const hef = resolve('data/hintereisferner');
  const d = await glacierDomain({ dem: join(hef, 'hef_srtm.tif'), outline: join(hef, 'Hintereisferner_RGI6.shp'), crs: 'EPSG:32632', dx, margin: 400 });
  const usurf = northward(d.usurf);
  const mask = northward(d.icemask).data;
  const { nx, ny } = usurf.grid;
  const edge: number[] = [];
  for (let k = 0; k < nx * ny; k++) if (mask[k] < 0.5) edge.push(k);
  const thk = new Float32Array(nx * ny);
  for (let k = 0; k < nx * ny; k++) {
    if (mask[k] < 0.5) continue;
    let best = Infinity;
    const i = k % nx, j = Math.floor(k / nx);
    for (const e of edge) best = Math.min(best, (e % nx - i) ** 2 + (Math.floor(e / nx) - j) ** 2);
    const dist = (Math.sqrt(best) - 0.5) * dx;
    thk[k] = Math.sqrt((2 * 150e3 * dist) / RHOG);
  }
  const geom: BPGeometry = { nx, ny, dx, thk, usurf: Float32Array.from(usurf.data), arrhenius: A, slidingco: SLIDINGCO };
  return makeCase(`Hintereisferner ${dx} m (${ny}×${nx}×${Nz})`, geom, Nz);
}

/** The bumpy ice cap of bench/sia-step.ts, fully ice-covered, N² × Nz. */
export function capCase(N: number, Nz = 10): BenchCase {
  const s = makeState(N, 100);
  const geom: BPGeometry = { nx: N, ny: N, dx: 100, thk: s.thk, usurf: s.usurf, arrhenius: A, slidingco: SLIDINGCO };
  return makeCase(`ice cap ${N}²×${Nz}`, geom, Nz);
}

function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Calls f until `seconds` have passed (≥ 3 calls); per-call ms. */
function timeFor(f: () => void, seconds: number): number[] {
  const t: number[] = [];
  const end = performance.now() + seconds * 1e3;
  while (performance.now() < end || t.length < 3) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t;
}

interface PeerResult {
  J: number;
  iterations?: number;
  evaluations?: number;
  gnormU?: number;
  gnormV?: number;
  times_ms: number[];
  threads: number;
  torch: string;
}

function writeCase(c: BenchCase): string {
  const dir = mkdtempSync(join(tmpdir(), 'nk-bp-'));
  const { geom, settings } = c;
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...settings, nx: geom.nx, ny: geom.ny, dx: geom.dx, arrhenius: A, slidingco: SLIDINGCO }));
  const f32 = (name: string, a: ArrayLike<number>) => writeFileSync(join(dir, `${name}.f32`), Buffer.from(Float32Array.from(a).buffer));
  f32('thk', geom.thk);
  f32('usurf', geom.usurf);
  f32('free', c.free);
  f32('U', c.U);
  f32('V', c.V);
  return dir;
}

function runPeer(dir: string, o: BenchOptions, mode: string): PeerResult {
  const t = String(o.threads);
  const env = { ...process.env, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t };
  const r = spawnSync('/usr/bin/python3', ['bench/peers/bp_torch.py', dir, t, String(o.seconds), mode], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyTorch peer failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerResult;
}

function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

/** Times `ours` and the peer in `mode`, alternating over the rounds; medians and the peer's last result. */
async function alternate(c: BenchCase, o: BenchOptions, mode: string, ours: () => void): Promise<{ a: number; b: number; peer: PeerResult }> {
  const dir = writeCase(c);
  const mine: number[] = [], theirs: number[] = [];
  let peer: PeerResult | null = null;
  try {
    for (let r = 0; r < o.rounds; r++) {
      mine.push(...timeFor(ours, o.seconds));
      peer = runPeer(dir, o, mode);
      theirs.push(...peer.times_ms);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
  return { a: median(mine), b: median(theirs), peer: peer! };
}

/** Energy + gradient, nunatak wasm vs PyTorch autograd, alternating. */
export const energyGradientRow: RowFn = async (c, o) => {
  const P = bpProblem(c.geom, c.settings);
  const gU = new Float32Array(P.size), gV = new Float32Array(P.size);
  const J = P.energy(c.U, c.V, gU, gV);
  const { a, b, peer } = await alternate(c, o, 'grad', () => P.energy(c.U, c.V, gU, gV)).finally(() => P.dispose());
  const dJ = relDiff(J, peer.J);
  const dg = Math.max(relDiff(norm(gU), peer.gnormU!), relDiff(norm(gV), peer.gnormV!));
  const flag = dJ > 1e-4 || dg > 1e-4 ? ' **MISMATCH**' : '';
  return [`${a.toFixed(2)}`, `${b.toFixed(2)}`, `${(b / a).toFixed(1)}×`,
    `J ${J.toPrecision(7)} / ${peer.J.toPrecision(7)} (Δ ${dJ.toExponential(1)}); |∇J| Δ ${dg.toExponential(1)}${flag}`];
};

/** Energy alone (no gradient), both sides. */
export const energyOnlyRow: RowFn = async (c, o) => {
  const P = bpProblem(c.geom, c.settings);
  const J = P.energy(c.U, c.V);
  const { a, b, peer } = await alternate(c, o, 'energy', () => P.energy(c.U, c.V)).finally(() => P.dispose());
  const dJ = relDiff(J, peer.J);
  return [`${a.toFixed(2)}`, `${b.toFixed(2)}`, `${(b / a).toFixed(1)}×`, `J Δ ${dJ.toExponential(1)}${dJ > 1e-4 ? ' **MISMATCH**' : ''}`];
};

/**
 * A full solve from zero velocity: nunatak's L-BFGS (solveBP, default
 * stopping rule, `--vectors wasm|ts`, default wasm: the kernel-memory SIMD
 * vector algebra) vs torch.optim.LBFGS (strong Wolfe, memory 10) run for the
 * same number of iterations; the final energies must agree (1e-3). The cell
 * also splits nunatak's time per iteration into energy + gradient
 * evaluations and the rest (the L-BFGS vector algebra), from the last timed solve.
 */
export const fullSolveRow: RowFn = async (c, o) => {
  const P = bpProblem(c.geom, c.settings);
  const U = new Float32Array(P.size), V = new Float32Array(P.size);
  const nbitmax = Number(arg('solve-nbitmax', '1000'));
  const vectors = arg('vectors', 'wasm') as 'ts' | 'wasm';
  const once = () => {
    U.fill(0);
    V.fill(0);
    return solveBP(P, U, V, { nbitmax, vectors });
  };
  let r = once();
  const { a, b, peer } = await alternate(c, o, `solve:${r.iterations}`, () => void (r = once())).finally(() => P.dispose());
  const dJ = relDiff(r.energy, peer.J);
  const perIt = (ms: number) => (ms / r.iterations).toFixed(2);
  const split = `${r.vectors} vectors: per iteration ${perIt(r.timeMs.energy)} ms energy+grad, ${perIt(r.timeMs.total - r.timeMs.energy)} ms vector algebra`;
  return [`${a.toFixed(1)}`, `${b.toFixed(1)}`, `${(b / a).toFixed(1)}×`,
    `${r.iterations} it / ${r.evaluations} ev (${r.reason}) vs ${peer.iterations} it / ${peer.evaluations} ev; J ${r.energy.toPrecision(7)} / ${peer.J.toPrecision(7)} (Δ ${dJ.toExponential(1)})${dJ > 1e-3 ? ' **MISMATCH**' : ''}; ${split}`];
};

/** Table rows, in order (`--rows` picks some by name). */
export const ROWS: Array<[string, RowFn]> = [
  ['energy + gradient', energyGradientRow],
  ['energy only', energyOnlyRow],
  ['full solve', fullSolveRow],
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const o: BenchOptions = {
    threads: Number(arg('threads', '1')),
    seconds: Number(arg('seconds', quick ? '0.3' : '4')),
    rounds: Number(arg('rounds', quick ? '1' : '3')),
  };
  const grids = arg('grids', quick ? 'hef100,cap64' : 'hef100,hef50,cap256').split(',');
  const la = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}; threads ${o.threads} both sides; load average ${la()}`);
  await setBPThreads(o.threads);
  const cases: BenchCase[] = [];
  for (const g of grids) {
    if (g.startsWith('hef')) cases.push(await hefCase(Number(g.slice(3))));
    else if (g.startsWith('cap')) cases.push(capCase(Number(g.slice(3))));
    else throw new Error(`unknown grid '${g}' (hef100, hef50, capN)`);
  }
  console.log('| grid | row | nunatak wasm ms | PyTorch ms | PyTorch / nunatak | cross-check (nunatak / PyTorch) |');
  console.log('|---|---|---|---|---|---|');
  for (const c of cases) {
    const pick = arg('rows', '').split(',').filter(Boolean);
    for (const [name, row] of ROWS.filter(([n]) => pick.length === 0 || pick.some((p) => n.startsWith(p)))) {
      const cells = await row(c, o);
      console.log(`| ${c.name} | ${name} | ${cells.join(' | ')} |`);
    }
  }
  const version = spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  console.log(`(median per-call wall time, ≥ ${o.seconds} s per side per round, ${o.rounds} round(s) alternating; nunatak pool threads ${bpThreads()}; PyTorch ${version} float32, ${o.threads} thread(s); load average ${la()} at the end)`);
  await setBPThreads(1);
}

await main();
