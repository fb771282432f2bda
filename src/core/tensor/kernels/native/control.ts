/**
 * When the native (ONNX Runtime) kernels run instead of the wasm ones: on by
 * default where the binding loads, off with `NUNATAK_NATIVE=0`, and only for
 * ops of at least `minFlops` multiply-adds ×2 (below that the ~10 µs native
 * call overhead loses to the wasm kernel; see BENCHMARKS.md).
 */
import { nativeAvailable } from '../../../native/sync-session.js';

export interface NativeKernelOptions {
  /** Use native kernels at all (default: `NUNATAK_NATIVE` is not '0'). */
  enabled: boolean;
  /** Smallest op (floating-point operations, 2 per multiply-add) sent to ONNX Runtime. */
  minFlops: number;
}

/** Measured crossover (bench/native-kernels.ts, BENCHMARKS.md): below ~1 MFLOP the ~30 µs native call (with its layout transposes) loses to the wasm kernel. */
export const DEFAULT_MIN_FLOPS = 1e6;

const opts: NativeKernelOptions = { enabled: process.env.NUNATAK_NATIVE !== '0', minFlops: DEFAULT_MIN_FLOPS };

/** Read, or change (tests, benches), the native kernel options; returns the options now in force. */
export function nativeKernelOptions(change: Partial<NativeKernelOptions> = {}): NativeKernelOptions {
  Object.assign(opts, change);
  return { ...opts };
}

/** How often each kernel ran natively / on its wasm fallback (tests check the path taken). */
export const nativeKernelStats: Record<string, { native: number; fallback: number }> = {};

/** Decide for one call and count it. */
export function useNative(kernel: string, flops: number, mappable: boolean): boolean {
  const yes = mappable && opts.enabled && flops >= opts.minFlops && nativeAvailable();
  const s = (nativeKernelStats[kernel] ??= { native: 0, fallback: 0 });
  if (yes) s.native++;
  else s.fallback++;
  return yes;
}
