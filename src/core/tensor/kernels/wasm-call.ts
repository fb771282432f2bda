/**
 * Helpers for nunatak's wasm kernels: call a kernel already registered for
 * the wasm backend on TensorInfos (no engine bookkeeping, no tape), and free
 * intermediates. Kernels built from these run entirely on the wasm heap.
 */
import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Run the wasm backend's own kernel `name`; the result is owned by the caller. */
export function callWasm(name: string, backend: BackendWasm, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const k = getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  const out = k.kernelFunc({ inputs, backend, attrs });
  return Array.isArray(out) ? out[0] : out;
}

/** Free intermediates made inside a kernel. */
export function free(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** A Float32Array view of a wasm tensor's data (valid until the heap grows). */
export function heapF32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}
