/**
 * Synchronous ONNX Runtime sessions for nunatak's own hot loops.
 *
 * onnxruntime-node's public `InferenceSession.run` is async only because it
 * defers the call with setImmediate; the native binding underneath runs
 * synchronously. TF.js kernels and custom-gradient functions must return
 * synchronously, so for them we drive the binding directly: ONNX Runtime's
 * MLAS kernels (native, AVX2/AVX-512, multi-threaded) then serve as the CPU
 * BLAS/conv library of the tensor runtime, at ~8 µs per call.
 *
 * The binding path is internal to onnxruntime-node (checked against 1.30);
 * if it cannot be loaded — or `NUNATAK_NATIVE=0` — `nativeAvailable()` is
 * false and callers use their portable (TF.js / plain loop) path instead.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Tensor } from 'onnxruntime-common';
import { NunatakError } from '../errors.js';

interface NativeSession {
  loadModel(buf: ArrayBufferLike, offset: number, length: number, opts: object): void;
  run(feeds: Record<string, Tensor>, fetches: Record<string, Tensor | null>, opts: object): Record<string, Tensor>;
  dispose(): void;
}
interface Binding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

let binding: Binding | null | undefined;
let loadError = '';

function load(): Binding | null {
  if (binding !== undefined) return binding;
  if (process.env.NUNATAK_NATIVE === '0') {
    loadError = 'disabled by NUNATAK_NATIVE=0';
    return (binding = null);
  }
  try {
    const b = createRequire(import.meta.url)('onnxruntime-node/dist/binding.js') as Binding;
    b.initOrt();
    if (typeof b.binding?.InferenceSession !== 'function') throw new Error('onnxruntime-node binding has no InferenceSession');
    binding = b;
  } catch (e) {
    loadError = (e as Error).message;
    binding = null;
  }
  return binding;
}

/** True when the synchronous ONNX Runtime path can be used in this process. */
export function nativeAvailable(): boolean {
  return load() !== null;
}

/** Why the native path is unavailable ('' when it is available). */
export function nativeUnavailableReason(): string {
  load();
  return loadError;
}

/**
 * Intra-op threads for native kernels: `NUNATAK_THREADS` if set, else one
 * per available core (what ONNX Runtime and PyTorch default to).
 */
export function nativeThreads(): number {
  const env = process.env.NUNATAK_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new NunatakError('CONFIG', `NUNATAK_THREADS must be a positive integer, got '${env}'`);
    return n;
  }
  return availableParallelism();
}

/** A float32 tensor by value: C-order data and its shape. */
export interface Shaped {
  data: Float32Array;
  dims: number[];
}

/** One ONNX graph, loaded once, run synchronously on float32 inputs. */
export class SyncSession {
  private readonly s: NativeSession;
  constructor(
    model: Uint8Array,
    /** Output names returned by `run` (`runInto` names its outputs itself). */
    private readonly outputs: string[] = [],
    threads = nativeThreads(),
  ) {
    const b = load();
    if (b === null) throw new NunatakError('DEPENDENCY', `native ONNX Runtime kernels are unavailable: ${loadError}`, { hint: 'run npm ci; nunatak falls back to TF.js kernels' });
    this.s = new b.binding.InferenceSession();
    this.s.loadModel(model.buffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Every cached session owns an intra-op pool; spinning workers of idle
      // pools steal the cores the active one needs (2 threads ran slower than
      // 1), so workers sleep between calls unless NUNATAK_ORT_SPIN=1.
      extra: { session: { intra_op: { allow_spinning: process.env.NUNATAK_ORT_SPIN === '1' ? '1' : '0' } } },
    });
  }

  /** Run with named float32 inputs; returns the outputs (fresh arrays owned by the caller). */
  run(inputs: Record<string, Shaped>): Record<string, Shaped> {
    const feeds: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = new Tensor('float32', v.data, v.dims);
    const fetches: Record<string, null> = {};
    for (const o of this.outputs) fetches[o] = null;
    const res = this.s.run(feeds, fetches, {});
    const out: Record<string, Shaped> = {};
    for (const o of this.outputs) out[o] = { data: res[o].data as Float32Array, dims: res[o].dims as number[] };
    return out;
  }

  /**
   * Run with outputs written straight into caller-owned arrays of known
   * shape (e.g. views of the TF.js wasm heap): no output copy.
   */
  runInto(inputs: Record<string, Shaped>, outputs: Record<string, Shaped>): void {
    const feeds: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) feeds[k] = new Tensor('float32', v.data, v.dims);
    const fetches: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(outputs)) fetches[k] = new Tensor('float32', v.data, v.dims);
    this.s.run(feeds, fetches, {});
  }

  dispose(): void {
    this.s.dispose();
  }
}
