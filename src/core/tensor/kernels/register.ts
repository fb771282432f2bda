/**
 * Registers nunatak's wasm kernels with TF.js (idempotent; runs on import of
 * `src/core/tensor`). Fills the gaps that stop conv nets training on wasm:
 * Conv2DBackpropFilter and the depthwise gradients (absent), and replaces
 * Conv2DBackpropInput (present but a scalar loop, ~10× slower than Conv2D)
 * and MaxPoolGrad (present but drops gradient entries in TF.js 4.22).
 * Then puts ONNX Runtime (native MLAS) kernels
 * in front of the heavy ones (matmul, conv and its gradients); those fall
 * back to the kernels registered before them (see `native/`).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasm, conv2dBackpropInputWasm } from './conv2d-grads.js';
import { maxPoolGradWasm } from './maxpool-grad.js';
import { depthwiseBackpropFilterWasm, depthwiseBackpropInputWasm } from './depthwise-grads.js';
import { isNativeKernel, nativeFallback, nativeKernel, NATIVE_KERNEL_NAMES } from './native/kernels.js';

/** Kernel names nunatak provides for the wasm backend. */
export const NUNATAK_WASM_KERNELS: Record<string, KernelFunc> = {
  Conv2DBackpropFilter: conv2dBackpropFilterWasm as unknown as KernelFunc,
  Conv2DBackpropInput: conv2dBackpropInputWasm as unknown as KernelFunc,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilterWasm as unknown as KernelFunc,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInputWasm as unknown as KernelFunc,
  MaxPoolGrad: maxPoolGradWasm as unknown as KernelFunc,
};

/** TF.js wasm kernels' setup functions (they bind the C entry points when the backend starts), kept for their native replacements. */
const setups = new Map<string, Pick<KernelConfig, 'setupFunc' | 'disposeFunc'>>();

function put(name: string, kernelFunc: KernelFunc): void {
  const existing = getKernel(name, 'wasm');
  if (existing?.kernelFunc === kernelFunc) return;
  if (existing !== undefined) unregisterKernel(name, 'wasm');
  if (existing?.setupFunc !== undefined && !setups.has(name)) setups.set(name, { setupFunc: existing.setupFunc, disposeFunc: existing.disposeFunc });
  registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc, ...(NUNATAK_WASM_KERNELS[name] === kernelFunc ? {} : setups.get(name)) });
}

/**
 * Register (or re-register over TF.js's own) the kernels above, then the
 * native kernels over the heavy ones (always registered: they fall back to
 * the previous kernel per call when native kernels are off, unavailable or
 * the op is small; see native/control.ts). Safe to call twice.
 */
export function registerWasmKernels(): void {
  for (const [name, kernelFunc] of Object.entries(NUNATAK_WASM_KERNELS)) if (!NATIVE_KERNEL_NAMES.includes(name)) put(name, kernelFunc);
  for (const name of NATIVE_KERNEL_NAMES) {
    const now = getKernel(name, 'wasm')?.kernelFunc;
    const fallback = NUNATAK_WASM_KERNELS[name] ?? (isNativeKernel(now) ? nativeFallback(name) : now);
    if (fallback !== undefined) put(name, nativeKernel(name, fallback));
  }
}
