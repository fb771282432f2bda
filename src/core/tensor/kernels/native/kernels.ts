/**
 * The native kernels as TF.js KernelFuncs: each tries ONNX Runtime and falls
 * back to the kernel that was registered for 'wasm' before it (TF.js's own,
 * or nunatak's wasm conv gradients).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterNative, conv2dBackpropInputNative, conv2dNative, type KernelArgs } from './conv2d.js';
import { matMulNative } from './matmul.js';

type NativeImpl = (args: KernelArgs) => TensorInfo | null;

const IMPLS: Record<string, NativeImpl> = {
  BatchMatMul: (a) => matMulNative('BatchMatMul', a),
  _FusedMatMul: (a) => matMulNative('_FusedMatMul', a),
  Conv2D: (a) => conv2dNative('Conv2D', a),
  FusedConv2D: (a) => conv2dNative('FusedConv2D', a),
  Conv2DBackpropInput: conv2dBackpropInputNative,
  Conv2DBackpropFilter: conv2dBackpropFilterNative,
};

/** Kernel names that get a native implementation. */
export const NATIVE_KERNEL_NAMES = Object.keys(IMPLS);

const made = new Map<string, { fn: KernelFunc; fallback: KernelFunc }>();

/** The native KernelFunc for `name`, falling back to `fallback` (one function per name, so re-registering is a no-op). */
export function nativeKernel(name: string, fallback: KernelFunc): KernelFunc {
  const m = made.get(name);
  if (m !== undefined) {
    m.fallback = fallback;
    return m.fn;
  }
  const impl = IMPLS[name];
  const entry = {
    fallback,
    fn: ((args: KernelArgs) => impl(args) ?? entry.fallback(args as never)) as unknown as KernelFunc,
  };
  made.set(name, entry);
  return entry.fn;
}

/** Is `fn` one of the native KernelFuncs? */
export function isNativeKernel(fn: KernelFunc | undefined): boolean {
  return [...made.values()].some((m) => m.fn === fn);
}

/** The kernel a native one falls back to (undefined if `name` has none registered). */
export function nativeFallback(name: string): KernelFunc | undefined {
  return made.get(name)?.fallback;
}
