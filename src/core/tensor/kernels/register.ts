/**
 * Registers nunatak's wasm kernels with TF.js (idempotent; runs on import of
 * `src/core/tensor`). Fills the gaps that stop conv nets training on wasm:
 * Conv2DBackpropFilter and the depthwise gradients (absent), and replaces
 * Conv2DBackpropInput (present but a scalar loop, ~10× slower than Conv2D)
 * and MaxPoolGrad (present but drops gradient entries in TF.js 4.22).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasm, conv2dBackpropInputWasm } from './conv2d-grads.js';
import { maxPoolGradWasm } from './maxpool-grad.js';
import { depthwiseBackpropFilterWasm, depthwiseBackpropInputWasm } from './depthwise-grads.js';

/** Kernel names nunatak provides for the wasm backend. */
export const NUNATAK_WASM_KERNELS: Record<string, KernelFunc> = {
  Conv2DBackpropFilter: conv2dBackpropFilterWasm as unknown as KernelFunc,
  Conv2DBackpropInput: conv2dBackpropInputWasm as unknown as KernelFunc,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilterWasm as unknown as KernelFunc,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInputWasm as unknown as KernelFunc,
  MaxPoolGrad: maxPoolGradWasm as unknown as KernelFunc,
};

/** Register (or re-register over TF.js's own) the kernels above; safe to call twice. */
export function registerWasmKernels(): void {
  for (const [name, kernelFunc] of Object.entries(NUNATAK_WASM_KERNELS)) {
    const existing = getKernel(name, 'wasm');
    if (existing?.kernelFunc === kernelFunc) continue;
    if (existing !== undefined) unregisterKernel(name, 'wasm');
    registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
  }
}
