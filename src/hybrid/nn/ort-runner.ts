/**
 * A synchronous ONNX Runtime session that writes its outputs INTO arrays the
 * caller owns (ONNX Runtime's pre-allocated outputs), for the LSTM's per-step
 * calls: core/native's SyncSession returns fresh arrays, which at 730 steps ×
 * [nb, 4H] means hundreds of MB of copies and page faults per iteration.
 * Same binding and threading as core/native (NUNATAK_THREADS); only used when
 * `nativeAvailable()` is true.
 */
import { createRequire } from 'node:module';
import { Tensor } from 'onnxruntime-common';
import { NunatakError } from '../../core/errors.js';
import { nativeAvailable, nativeThreads, nativeUnavailableReason, type Shaped } from '../../core/native/sync-session.js';

interface NativeSession {
  loadModel(buf: ArrayBufferLike, offset: number, length: number, opts: object): void;
  run(feeds: Record<string, Tensor>, fetches: Record<string, Tensor | null>, opts: object): Record<string, Tensor>;
}
interface Binding {
  binding: { InferenceSession: new () => NativeSession };
}

let binding: Binding | undefined;

export class IntoSession {
  private readonly s: NativeSession;
  constructor(model: Uint8Array, threads = nativeThreads()) {
    if (!nativeAvailable()) throw new NunatakError('DEPENDENCY', `native ONNX Runtime kernels are unavailable: ${nativeUnavailableReason()}`);
    // core/native has loaded and initialised this binding already (nativeAvailable)
    binding ??= createRequire(import.meta.url)('onnxruntime-node/dist/binding.js') as Binding;
    this.s = new binding.binding.InferenceSession();
    this.s.loadModel(model.buffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  }

  /** Run; each output is written into the given array (exact size, C order). */
  run(inputs: Record<string, Shaped>, outputs: Record<string, Shaped>): void {
    const feeds: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = new Tensor('float32', v.data, v.dims);
    const fetches: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(outputs)) fetches[k] = new Tensor('float32', v.data, v.dims);
    this.s.run(feeds, fetches, {});
  }
}
