/**
 * Worker threads for the Blatter–Pattyn wasm kernels (the energy, blatter.ts,
 * and the solver's L-BFGS vector algebra, lbfgs.ts): one process-wide band
 * pool over the shared kernel memory, started with {@link setBPThreads}.
 */
import { NunatakError } from '../../../core/errors.js';
import { kernelRuntime } from '../../../kernels/runtime.js';
import { kernelFn } from '../../../kernels/loader.js';
import { BandPool } from '../../../kernels/pool.js';

export const BP_MODULE = 'blatter';
export const LBFGS_MODULE = 'lbfgs';
let pool: BandPool | null = null;
/** Corner-levels (corners · Nz) below which a call stays on the calling thread (hand-off costs µs). */
let minWork = 1 << 15;

/**
 * Run the Blatter–Pattyn kernel on `threads` row bands (1 = calling thread
 * only). Problems smaller than `minWork` corner-levels stay single-threaded.
 */
export async function setBPThreads(threads: number, minCornerLevels = 1 << 15): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new NunatakError('CONFIG', `Blatter–Pattyn threads = ${threads}: expected an integer ≥ 1`);
  }
  if (pool) {
    await pool.close();
    pool = null;
  }
  minWork = minCornerLevels;
  if (threads > 1) pool = await BandPool.create(kernelRuntime().memory, [BP_MODULE, LBFGS_MODULE], threads);
}

/** Threads of the Blatter–Pattyn pool now (1 without one). */
export function bpThreads(): number {
  return pool ? pool.threads : 1;
}

/**
 * Runs blatter.`fn`(j0, j1, ...args) over `rows`: on the pool when `threads`
 * asks for it (or, when undefined, when `work` ≥ the threshold), else inline.
 */
export function bpRun(fn: string, rows: number, work: number, threads: number | undefined, args: number[]): void {
  bpRunIn(BP_MODULE, fn, rows, threads ?? (work >= minWork ? bpThreads() : 1), args);
}

/** Runs `module`.`fn`(j0, j1, ...args) over `rows`: on the pool when there is one and `threads` > 1, else inline. */
export function bpRunIn(module: string, fn: string, rows: number, threads: number, args: number[]): void {
  if (pool && threads > 1) {
    pool.run(module, fn, rows, args);
    return;
  }
  kernelFn(kernelRuntime().module(module), fn)(0, rows, ...args);
}

/** Checks a requested thread count against the pool. */
export function bpCheckThreads(threads: number | undefined): void {
  if (threads === undefined || threads === 1) return;
  if (!Number.isInteger(threads) || threads < 1 || threads !== bpThreads()) {
    throw new NunatakError('CONFIG', `bpProblem: threads = ${threads} but the Blatter–Pattyn pool has ${bpThreads()}`, {
      hint: `call \`await setBPThreads(${threads})\` first, or leave threads out to use the pool when the grid is large enough`,
    });
  }
}
