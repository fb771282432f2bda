/**
 * Runtime of the AssemblyScript glacier kernels (src/kernels/assembly/glacier.ts):
 * the process-wide KernelMemory, field allocation there (so the engine's state
 * arrays reach the kernels without copies), optional row-band threads, and
 * staging of arrays that live elsewhere.
 */
import { NunatakError } from '../../core/errors.js';
import { kernelRuntime } from '../../kernels/runtime.js';
import { kernelFn } from '../../kernels/loader.js';
import { BandPool } from '../../kernels/pool.js';
import type { KernelMemory } from '../../kernels/memory.js';

const MODULE = 'glacier';
let pool: BandPool | null = null;
/** Cells below which a step runs on the calling thread even with a pool (hand-off costs µs). */
let minCells = 1 << 17;

/** The shared kernel memory the glacier kernels run over. */
export function simMemory(): KernelMemory {
  return kernelRuntime().memory;
}

/**
 * A zero-filled Float32Array of `n` values in kernel memory: state fields
 * allocated here are passed to the wasm kernels by pointer, without copies.
 * Give it back with {@link releaseSimField}.
 */
export function allocSimField(n: number): Float32Array {
  return simMemory().allocF32(n);
}

/** Frees a field from {@link allocSimField}. */
export function releaseSimField(a: Float32Array): void {
  simMemory().release(a);
}

/** Whether `a` lives in kernel memory (no copy needed). */
export function isSimField(a: Float32Array): boolean {
  return simMemory().owns(a);
}

/**
 * Run the glacier kernels on `threads` row bands (1 = calling thread only,
 * the default). Grids under `minCellsForThreads` cells stay single-threaded.
 */
export async function setSimThreads(threads: number, minCellsForThreads = 1 << 17): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1) throw new NunatakError('CONFIG', `sim threads = ${threads}: expected an integer ≥ 1`);
  if (pool) {
    await pool.close();
    pool = null;
  }
  minCells = minCellsForThreads;
  if (threads > 1) pool = await BandPool.create(simMemory(), [MODULE], threads);
}

/** Threads the glacier kernels use now. */
export function simThreads(): number {
  return pool ? pool.threads : 1;
}

/** Runs glacier.`fn`(j0, j1, ...args) over `rows` (bands when a pool is set and the grid is big). */
export function runRows(fn: string, rows: number, cells: number, args: number[]): void {
  if (pool && cells >= minCells) {
    pool.run(MODULE, fn, rows, args);
    return;
  }
  kernelFn(kernelRuntime().module(MODULE), fn)(0, rows, ...args);
}

/** Row bands to split a pass into (1 without a pool or on small grids). */
export function bandCount(cells: number): number {
  return pool && cells >= minCells ? pool.threads : 1;
}

/**
 * Staging: pointer of `a` in kernel memory, copying it in when it lives
 * elsewhere (`copyIn`) and, for outputs, copying back in {@link Staging.finish}.
 */
export class Staging {
  private readonly mem = simMemory();
  private readonly held: Float32Array[] = [];
  private readonly back: Array<[Float32Array, Float32Array]> = [];

  /** Pointer to `a` (0 for undefined/null). `out`: written by the kernel. */
  ptr(a: Float32Array | null | undefined, out = false, copyIn = true): number {
    if (a === undefined || a === null) return 0;
    if (this.mem.owns(a)) return a.byteOffset;
    const v = copyIn ? this.mem.fromArray(a) : this.mem.allocF32(a.length);
    this.held.push(v);
    if (out) this.back.push([v, a]);
    return v.byteOffset;
  }

  /** A kernel-memory view of `a` (itself when already there). */
  view(a: Float32Array, out = false, copyIn = true): Float32Array {
    if (this.mem.owns(a)) return a;
    const p = this.ptr(a, out, copyIn);
    return this.held.find((v) => v.byteOffset === p)!;
  }

  /** Scratch of n f32 slots (released in finish). */
  scratch(n: number): Float32Array {
    const v = this.mem.allocF32(n);
    this.held.push(v);
    return v;
  }

  /** Copy outputs back (when `ok`) and free what was staged. */
  finish(ok = true): void {
    if (ok) for (const [v, a] of this.back) a.set(v);
    for (const v of this.held) this.mem.release(v);
    this.held.length = 0;
    this.back.length = 0;
  }
}

const cache = new Map<string, Float32Array>();

/**
 * Persistent kernel-memory scratch of at least `n` f32 slots under `key`
 * (grown, never shrunk, not zeroed: kernels write before they read).
 */
export function scratchF32(key: string, n: number): Float32Array {
  let v = cache.get(key);
  if (!v || v.length < n) {
    if (v) simMemory().release(v);
    v = simMemory().allocF32(n);
    cache.set(key, v);
  }
  return v;
}
