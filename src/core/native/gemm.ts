/**
 * C = op(A)·op(B) on Float32Arrays, through ONNX Runtime's MLAS sgemm
 * (native, multi-threaded) when available, else a plain loop. Used by the
 * hand-written recurrences (LSTM) and by the TF.js MatMul kernels.
 */
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { nativeAvailable, SyncSession } from './sync-session.js';

const sessions = new Map<string, SyncSession>();

function session(transA: boolean, transB: boolean): SyncSession {
  const key = `${+transA}${+transB}`;
  let s = sessions.get(key);
  if (s === undefined) {
    const g = new OnnxGraphBuilder(`gemm${key}`);
    const a = g.input('a', ['ra', 'ca']), b = g.input('b', ['rb', 'cb']);
    g.output(g.node('Gemm', [a, b], { transA: { i: +transA }, transB: { i: +transB } }), 'c');
    s = new SyncSession(g.toBytes(), ['c']);
    sessions.set(key, s);
  }
  return s;
}

export interface GemmOptions {
  /** A is stored as [k, n] (use its transpose). */
  transA?: boolean;
  /** B is stored as [m, k] (use its transpose). */
  transB?: boolean;
  /** Force the portable loop even when native kernels are available (tests). */
  portable?: boolean;
}

/** op(A) [n, k] · op(B) [k, m] → new Float32Array [n, m], row-major. */
export function gemm(a: Float32Array, b: Float32Array, n: number, k: number, m: number, o: GemmOptions = {}): Float32Array {
  return gemmInto(new Float32Array(n * m), a, b, n, k, m, o);
}

/** c [n, m] ← op(A) · op(B), written into the caller's array (no allocation on the native path); returns c. */
export function gemmInto(c: Float32Array, a: Float32Array, b: Float32Array, n: number, k: number, m: number, o: GemmOptions = {}): Float32Array {
  const tA = o.transA ?? false, tB = o.transB ?? false;
  if (a.length !== n * k || b.length !== k * m) throw new RangeError(`gemm: A has ${a.length} values, B ${b.length}; expected ${n}×${k} and ${k}×${m}`);
  if (c.length !== n * m) throw new RangeError(`gemm: C has ${c.length} values; expected ${n}×${m}`);
  if (n === 0 || m === 0 || k === 0) return c.fill(0);
  if (!o.portable && nativeAvailable()) {
    session(tA, tB).runInto({ a: { data: a, dims: tA ? [k, n] : [n, k] }, b: { data: b, dims: tB ? [m, k] : [k, m] } }, { c: { data: c, dims: [n, m] } });
    return c;
  }
  return gemmLoop(c, a, b, n, k, m, tA, tB);
}

/** Reference loop (i-p-j order so the inner loop is contiguous when B is not transposed). */
function gemmLoop(c: Float32Array, a: Float32Array, b: Float32Array, n: number, k: number, m: number, tA: boolean, tB: boolean): Float32Array {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const av = tA ? a[p * n + i] : a[i * k + p];
      if (av === 0) continue;
      if (tB) for (let j = 0; j < m; j++) c[ci + j] += av * b[j * k + p];
      else {
        const bp = p * m;
        for (let j = 0; j < m; j++) c[ci + j] += av * b[bp + j];
      }
    }
  }
  return c;
}
