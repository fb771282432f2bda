/**
 * BatchMatMul and _FusedMatMul for the wasm backend on ONNX Runtime's MLAS
 * sgemm: 2-D products (all batch dims 1) through Gemm, batched ones through
 * MatMul (one side's batch may be 1 and broadcasts). Returns null when the
 * call cannot be mapped (prelu, a bias other than [N], batch shapes that
 * broadcast other than 1-vs-B, too small) so the wasm kernel runs instead.
 */
import { broadcast_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from '../wasm-call.js';
import { useNative } from './control.js';
import { gemmSession, matMulSession, NATIVE_ACTIVATIONS, type NativeActivation } from './graphs.js';
import type { KernelArgs } from './conv2d.js';

const prod = (s: number[]): number => s.reduce((p, d) => p * d, 1);

export function matMulNative(name: string, { inputs, backend: be, attrs }: KernelArgs): TensorInfo | null {
  const backend = be as BackendWasm;
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo>;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
  const act = activation ?? 'linear';
  const ra = a.shape.length, rb = b.shape.length;
  let mappable = a.dtype === 'float32' && b.dtype === 'float32' && ra >= 2 && rb >= 2 && preluActivationWeights == null && NATIVE_ACTIVATIONS.has(act);
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const K2 = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const batchA = prod(a.shape.slice(0, -2)), batchB = prod(b.shape.slice(0, -2));
  let outShape: number[] = [];
  if (mappable) {
    mappable = K === K2 && M > 0 && N > 0 && K > 0 && (batchA === batchB || batchA === 1 || batchB === 1);
    if (mappable) {
      outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), M, N];
      // Equal batch products but different batch shapes would need a real broadcast: leave those to wasm.
      mappable = prod(outShape.slice(0, -2)) === Math.max(batchA, batchB);
    }
    if (bias != null) mappable &&= bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === N;
  }
  const batch = Math.max(batchA, batchB);
  if (!useNative(name, 2 * batch * M * N * K, mappable)) return null;
  const o = { transA: transposeA, transB: transposeB, bias: bias != null, activation: act as NativeActivation, alpha: leakyreluAlpha ?? 0.2 };
  const two = batch === 1;
  const s = two ? gemmSession(o) : matMulSession(o);
  const out = backend.makeOutput(outShape, 'float32'); // before heap views: it may grow the heap
  const dims = (t: TensorInfo, n: number) => (two ? t.shape.slice(-2) : [n, ...t.shape.slice(-2)]);
  const feeds: Record<string, { data: Float32Array; dims: number[] }> = {
    a: { data: heapF32(backend, a), dims: dims(a, batchA) },
    b: { data: heapF32(backend, b), dims: dims(b, batchB) },
  };
  if (bias != null) feeds.bias = { data: heapF32(backend, bias), dims: bias.shape };
  s.runInto(feeds, { y: { data: heapF32(backend, out), dims: two ? [M, N] : [batch, M, N] } });
  return out;
}
