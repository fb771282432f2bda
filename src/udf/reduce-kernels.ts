/**
 * The UDF face's SIMD wasm reductions (src/kernels/assembly/udf_reduce.ts) on
 * the per-thread kernel memory. Partition blocks of float32 frames are read
 * straight into that memory (see part-runner), so SumUDF and StdDevUDF reduce
 * them without a copy; f64 accumulators live there too. When the kernels are
 * not built (`npm run build:kernels`), everything falls back to TypeScript.
 */
import { kernelRuntime } from '../kernels/runtime.js';
import type { KernelFn } from '../kernels/loader.js';
import type { KernelMemory } from '../kernels/memory.js';

export interface ReduceKernels {
  memory: KernelMemory;
  sumF32: KernelFn;
  momentsF32: KernelFn;
}

let cached: ReduceKernels | null | undefined;

/** The kernels, or null when they are not built (or disabled with NUNATAK_UDF_KERNELS=0). */
export function reduceKernels(): ReduceKernels | null {
  if (cached !== undefined) return cached;
  if (process.env.NUNATAK_UDF_KERNELS === '0') return (cached = null);
  try {
    const rt = kernelRuntime();
    const m = rt.module('udf_reduce');
    cached = { memory: rt.memory, sumF32: m.fns.sumF32, momentsF32: m.fns.momentsF32 };
  } catch {
    cached = null; // not built: TypeScript loops
  }
  return cached;
}

/** Whether `a` is a float32 array in the kernels' memory (usable without a copy). */
export function inKernelMemory(k: ReduceKernels, a: ArrayBufferView): a is Float32Array {
  return a instanceof Float32Array && k.memory.owns(a);
}

/** A zeroed float64 array of n values in kernel memory (8-byte aligned); free with `freeF64`. */
export function allocF64(k: ReduceKernels, n: number): Float64Array {
  const f = k.memory.allocF32(2 * n);
  return new Float64Array(f.buffer, f.byteOffset, n);
}

export function freeF64(k: ReduceKernels, a: Float64Array): void {
  k.memory.release(new Float32Array(a.buffer, a.byteOffset, 2 * a.length));
}
