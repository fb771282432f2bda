/**
 * L-BFGS vectors of the Blatter–Pattyn solve in kernel memory, with their
 * passes in the AssemblyScript kernel (kernels/assembly/lbfgs.ts, f64x2
 * SIMD): x = (U, V) over all Nz·ny·nx entries of both components, entries
 * that are not free held at 0 (their gradient is 0, so every direction and
 * pair is 0 there too). The energy reads the trial point and writes its
 * gradient in place, so an evaluation copies nothing. Above
 * {@link LBFGS_MIN_THREADED} entries the passes run on the setBPThreads pool.
 *
 * Memory (n = 2·Nz·ny·nx): 3 f64 vectors + 3 f32 + 2m f32 pairs, i.e.
 * (36 + 8m) n bytes: 150 MB for the 256² × 10 ice cap at m = 10.
 */
import { kernelRuntime } from '../../../kernels/runtime.js';
import { NunatakError } from '../../../core/errors.js';
import type { LbfgsVectors } from './lbfgs-driver.js';
import type { BPProblem } from './problem-api.js';
import { bpRunIn, bpThreads, LBFGS_MODULE } from './threads.js';

/** Entries (2·Nz·ny·nx) from which the passes are split over the thread pool. */
export const LBFGS_MIN_THREADED = 1 << 18;
/** Entries per chunk: the unit of the thread split and of the partial dot products. */
const CHUNK = 8192;

/** A float32 vector of 2·size entries with its U and V halves. */
interface Pair32 {
  all: Float32Array;
  U: Float32Array;
  V: Float32Array;
}

/** One correction-pair slot. */
interface Slot {
  s: Float32Array;
  y: Float32Array;
  rho: number;
  sy: number;
  yy: number;
}

export class BPWasmVectors implements LbfgsVectors {
  /** Milliseconds spent in problem.energy so far. */
  energyMs = 0;
  private readonly mem = kernelRuntime().memory;
  private readonly held: Float32Array[] = [];
  private readonly n: number;
  private readonly chunks: number;
  private readonly threads: number;
  private readonly part: Float64Array;
  private x: Float64Array;
  private xt: Float64Array;
  private readonly d: Float64Array;
  private readonly uv: Pair32;
  private g: Pair32;
  private gt: Pair32;
  /** Pairs in the history, oldest first. */
  private readonly hist: Slot[] = [];
  /** Slots not in the history (a pair made but not kept returns here). */
  private readonly spare: Slot[] = [];
  private pending: Slot | null = null;
  /** gᵀg and gtᵀgt (from the pass that gave the slope). */
  private ggX = 0;
  private ggT = 0;
  private readonly alpha: Float64Array;

  /** U, V (m a⁻¹, [k][j][i]): the start, 0 where not free; they receive the answer in finish(). */
  constructor(private readonly problem: BPProblem, private readonly U: Float32Array, private readonly V: Float32Array, private readonly m: number) {
    const size = problem.size;
    this.n = 2 * size;
    this.chunks = Math.ceil(this.n / CHUNK);
    this.threads = this.n >= LBFGS_MIN_THREADED ? bpThreads() : 1;
    this.alpha = new Float64Array(m);
    try {
      this.part = this.f64(3 * this.chunks);
      this.x = this.f64(this.n);
      this.xt = this.f64(this.n);
      this.d = this.f64(this.n);
      this.uv = this.pair32();
      this.g = this.pair32();
      this.gt = this.pair32();
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.uv.U.set(U);
    this.uv.V.set(V);
    for (let i = 0; i < this.n; i++) this.x[i] = this.uv.all[i];
  }

  private f32(n: number): Float32Array {
    let v: Float32Array;
    try {
      v = this.mem.allocF32(n);
    } catch (e) {
      const bytes = (36 + 8 * this.m) * this.n;
      throw new NunatakError('EXEC', `solveBP: the wasm L-BFGS vectors need ${(bytes / 2 ** 20).toFixed(0)} MiB of kernel memory: ${(e as Error).message}`, {
        hint: "pass solveBP(…, { vectors: 'ts' }) to keep them in JavaScript memory, or lower the L-BFGS memory (solver_memory)",
        cause: e,
      });
    }
    this.held.push(v);
    return v;
  }

  private f64(n: number): Float64Array {
    // allocF64's layout (2n f32), through f32() for its error
    const v = this.f32(2 * n);
    return new Float64Array(v.buffer, v.byteOffset, n);
  }

  private pair32(): Pair32 {
    const size = this.n / 2;
    const all = this.f32(this.n);
    return { all, U: all.subarray(0, size), V: all.subarray(size) };
  }

  /** Runs kernel `fn` over all chunks; returns the sum of the first `sums` partials per chunk (stride `sums`). */
  private run(fn: string, args: number[], sums = 1): number[] {
    bpRunIn(LBFGS_MODULE, fn, this.chunks, this.threads, [this.n, CHUNK, ...args, this.part.byteOffset]);
    const out = new Array<number>(sums).fill(0);
    for (let c = 0; c < this.chunks; c++) for (let q = 0; q < sums; q++) out[q] += this.part[sums * c + q];
    return out;
  }

  private energy(g: Pair32): number {
    const t0 = performance.now();
    const f = this.problem.energy(this.uv.U, this.uv.V, g.U, g.V);
    this.energyMs += performance.now() - t0;
    return f;
  }

  get pairs(): number {
    return this.hist.length;
  }

  evalStart(): number {
    const f = this.energy(this.g);
    this.ggX = this.run('slope', [this.g.all.byteOffset, this.d.byteOffset], 2)[1];
    return f;
  }

  evalAt(a: number): { f: number; dd: number } {
    bpRunIn(LBFGS_MODULE, 'lsStep', this.chunks, this.threads, [this.n, CHUNK, this.x.byteOffset, this.d.byteOffset, a, this.xt.byteOffset, this.uv.all.byteOffset]);
    const f = this.energy(this.gt);
    const [dd, gg] = this.run('slope', [this.gt.all.byteOffset, this.d.byteOffset], 2);
    this.ggT = gg;
    return { f, dd };
  }

  /** d = scale·(d + coef·v); returns wᵀd. */
  private axpyDot(scale: number, coef: number, v: Float32Array, w: Float32Array): number {
    return this.run('axpyDot', [this.d.byteOffset, scale, coef, v.byteOffset, w.byteOffset])[0];
  }

  direction(): number {
    const { hist: H, alpha: a, d } = this;
    const g = this.g.all;
    const L = H.length;
    if (L === 0) return this.run('setDot', [d.byteOffset, -1, g.byteOffset, g.byteOffset])[0];
    // The passes of the TypeScript backend's twoLoop (lbfgs.ts), each fused with the next dot product.
    a[L - 1] = H[L - 1].rho * this.run('setDot', [d.byteOffset, 1, g.byteOffset, H[L - 1].s.byteOffset])[0];
    for (let k = L - 1; k >= 1; k--) a[k - 1] = H[k - 1].rho * this.axpyDot(1, -a[k], H[k].y, H[k - 1].s);
    const gamma = H[L - 1].sy / H[L - 1].yy;
    let b = H[0].rho * this.axpyDot(gamma, -a[0], H[0].y, H[0].y);
    for (let k = 0; k < L - 1; k++) b = H[k + 1].rho * this.axpyDot(1, a[k] - b, H[k].s, H[k + 1].y);
    // last pass: d = −(d + c s), and gᵀd for the caller
    return this.axpyDot(-1, a[L - 1] - b, H[L - 1].s, g);
  }

  steepest(): void {
    const g = this.g.all;
    this.run('setDot', [this.d.byteOffset, -1, g.byteOffset, g.byteOffset]);
  }

  dd(): number {
    return this.run('dotDD', [this.d.byteOffset, this.d.byteOffset])[0];
  }

  gg(): number {
    // the line search's last evaluation is the accepted point, so its pass gave gᵀg
    return this.ggX;
  }

  makePair(alpha: number): { sy: number; ss: number; yy: number } {
    if (this.pending) this.spare.push(this.pending);
    // As the TypeScript backend: the oldest pair goes before the new one is judged.
    const slot = this.hist.length === this.m ? this.hist.shift()! : (this.spare.pop() ?? { s: this.f32(this.n), y: this.f32(this.n), rho: 0, sy: 0, yy: 0 });
    const [sy, ss, yy] = this.run('pair', [this.d.byteOffset, alpha, this.gt.all.byteOffset, this.g.all.byteOffset, slot.s.byteOffset, slot.y.byteOffset], 3);
    slot.sy = sy;
    slot.yy = yy;
    this.pending = slot;
    return { sy, ss, yy };
  }

  keepPair(sy: number): void {
    const slot = this.pending;
    if (!slot) throw new NunatakError('EXEC', 'BPWasmVectors.keepPair: no pair made', { hint: 'call makePair first' });
    slot.rho = 1 / sy;
    this.hist.push(slot);
    this.pending = null;
  }

  clear(): void {
    this.spare.push(...this.hist);
    this.hist.length = 0;
  }

  accept(): void {
    [this.x, this.xt] = [this.xt, this.x];
    [this.g, this.gt] = [this.gt, this.g];
    this.ggX = this.ggT;
  }

  finish(): void {
    bpRunIn(LBFGS_MODULE, 'toF32', this.chunks, this.threads, [this.n, CHUNK, this.x.byteOffset, this.uv.all.byteOffset]);
    this.U.set(this.uv.U);
    this.V.set(this.uv.V);
  }

  /** Kernel-memory bytes held now. */
  get bytes(): number {
    return this.held.reduce((s, v) => s + v.byteLength, 0);
  }

  /** Releases the kernel memory. */
  dispose(): void {
    for (const v of this.held) this.mem.release(v);
    this.held.length = 0;
  }
}
