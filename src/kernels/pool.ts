/**
 * BandPool: runs one kernel function over row bands [j0, j1) in parallel,
 * the calling thread taking the first band and worker threads the others,
 * all over the same shared KernelMemory (no copies). `run` is synchronous:
 * hand-off and completion use Atomics on a shared control block, which costs
 * a few microseconds, so it pays only above a few hundred thousand cells —
 * see BENCHMARKS.md "Stencil kernels" for where the crossover is here.
 */
import { Worker } from 'node:worker_threads';
import { NunatakError } from '../core/errors.js';
import { compileKernel, instantiateKernel, type KernelFn } from './loader.js';
import type { KernelMemory } from './memory.js';
import { exportedFunctions } from './wasm.js';

// Control block (Int32): 0 seq, 1 module index (-1 = stop), 2 function index,
// 3 nargs, 4 rows, 5 bands, 6 done count, 7 error flag.
const MAX_ARGS = 32;

export class BandPool {
  readonly threads: number;
  readonly memory: KernelMemory;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly args = new Float64Array(new SharedArrayBuffer(MAX_ARGS * 8));
  private readonly kernels: string[];
  private readonly fnNames: string[][];
  private readonly local: Record<string, KernelFn>[];
  private workers: Worker[] = [];

  private constructor(memory: KernelMemory, kernels: string[], threads: number) {
    this.memory = memory;
    this.kernels = kernels;
    this.threads = threads;
    const mods = kernels.map((k) => compileKernel(k));
    this.fnNames = mods.map((m) => exportedFunctions(m));
    this.local = mods.map((m, i) => instantiateKernel(kernels[i], m, memory.memory));
  }

  /**
   * Start a pool of `threads` (≥ 1; the caller counts as one) able to run the
   * functions of the named kernel modules over `memory`.
   */
  static async create(memory: KernelMemory, kernels: string[], threads: number): Promise<BandPool> {
    if (!Number.isInteger(threads) || threads < 1) throw new NunatakError('CONFIG', `BandPool threads=${threads} must be an integer ≥ 1`);
    const pool = new BandPool(memory, kernels, threads);
    const modules = kernels.map((name) => ({ name, module: compileKernel(name) }));
    const started: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const w = new Worker(new URL('./band-worker.mjs', import.meta.url), {
        workerData: { memory: memory.memory, modules, ctrl: pool.ctrl.buffer, args: pool.args.buffer, index },
      });
      pool.workers.push(w);
      started.push(
        new Promise((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
        }),
      );
    }
    await Promise.all(started);
    // Idle workers must not keep the process alive if close() is forgotten.
    for (const w of pool.workers) w.unref();
    return pool;
  }

  /**
   * Run `kernel.fn(j0, j1, ...args)` over rows [0, rows) split into bands.
   * Array arguments are pointers (`memory.ptr(view)`).
   */
  run(kernel: string, fn: string, rows: number, args: number[]): void {
    const mi = this.kernels.indexOf(kernel);
    if (mi < 0) throw new NunatakError('NOT_FOUND', `pool has no kernel '${kernel}'`, { hint: `loaded: ${this.kernels.join(', ')}` });
    const fi = this.fnNames[mi].indexOf(fn);
    if (fi < 0) throw new NunatakError('NOT_FOUND', `kernel '${kernel}' has no function '${fn}'`, { hint: `exports: ${this.fnNames[mi].join(', ')}` });
    if (args.length > MAX_ARGS) throw new NunatakError('EXEC', `${kernel}.${fn}: ${args.length} arguments, at most ${MAX_ARGS}`);
    const f = this.local[mi][fn];
    const bands = this.workers.length + 1;
    if (bands === 1) {
      f(0, rows, ...args);
      return;
    }
    const c = this.ctrl;
    c[1] = mi;
    c[2] = fi;
    c[3] = args.length;
    c[4] = rows;
    c[5] = bands;
    c[6] = 0;
    c[7] = 0;
    this.args.set(args);
    Atomics.add(c, 0, 1);
    Atomics.notify(c, 0);
    const j1 = Math.floor(rows / bands);
    if (j1 > 0) f(0, j1, ...args);
    let d = Atomics.load(c, 6);
    for (let k = 0; k < 20000 && d < bands - 1; k++) d = Atomics.load(c, 6);
    for (; d < bands - 1; d = Atomics.load(c, 6)) Atomics.wait(c, 6, d);
    if (c[7] !== 0) throw new NunatakError('EXEC', `${kernel}.${fn} failed in a band worker (see stderr)`);
  }

  /** Stop the worker threads. */
  async close(): Promise<void> {
    if (this.workers.length === 0) return;
    const exited = this.workers.map((w) => {
      w.ref();
      return new Promise((r) => w.once('exit', r));
    });
    this.ctrl[1] = -1;
    Atomics.add(this.ctrl, 0, 1);
    Atomics.notify(this.ctrl, 0);
    await Promise.all(exited);
    this.workers = [];
  }
}
