/**
 * Small ONNX graphs run synchronously through ONNX Runtime (core/native) for
 * the LSTM's hot paths: a dense layer y = x·W + b (optionally ReLU) and one
 * LSTM cell step (recurrent gemm + gate nonlinearities + cell update fused,
 * MLAS's vectorised sigmoid/tanh instead of per-element Math.exp calls).
 * Sessions are built once per shape family and cached.
 */
import { OnnxGraphBuilder } from '../../core/onnx/graph-builder.js';
import { SyncSession } from '../../core/native/sync-session.js';

const sessions = new Map<string, SyncSession>();

function cached(key: string, build: () => SyncSession): SyncSession {
  let s = sessions.get(key);
  if (s === undefined) sessions.set(key, (s = build()));
  return s;
}

/** y [n, m] = x [n, k] · W [k, m] + b [m], then ReLU when `relu`. */
export function denseNative(x: Float32Array, W: Float32Array, b: Float32Array, n: number, k: number, m: number, relu: boolean): Float32Array {
  const s = cached(`dense${+relu}`, () => {
    const g = new OnnxGraphBuilder('dense');
    const xi = g.input('x', ['n', 'k']), wi = g.input('w', ['k', 'm']), bi = g.input('b', ['m']);
    const y = g.node('Gemm', [xi, wi, bi], {}, relu ? undefined : 'y');
    if (relu) g.node('Relu', [y], {}, 'y');
    g.output('y');
    return new SyncSession(g.toBytes(), ['y']);
  });
  return s.run({ x: { data: x, dims: [n, k] }, w: { data: W, dims: [k, m] }, b: { data: b, dims: [m] } }).y.data;
}

export interface CellStep {
  /** activated gates [nb, 4H] (i, f, g, o) */
  a: Float32Array;
  /** new cell state [nb, H] */
  c: Float32Array;
  /** tanh of the new cell state [nb, H] (kept for the adjoint) */
  tc: Float32Array;
  /** new hidden state [nb, H] */
  h: Float32Array;
}

/**
 * One LSTM step: z = p + h·W (p: input projection + bias, [nb, 4H]; W [H, 4H]),
 * i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g), c' = f·c + i·g, h' = o·tanh(c').
 */
export function lstmStepNative(p: Float32Array, h: Float32Array, c: Float32Array, W: Float32Array, nb: number, H: number): CellStep {
  const s = cached(`lstm${H}`, () => {
    const g = new OnnxGraphBuilder('lstm_step');
    const pi = g.input('p', ['nb', 4 * H]), hi = g.input('h', ['nb', H]), ci = g.input('c', ['nb', H]), wi = g.input('w', [H, 4 * H]);
    const z = g.node('Gemm', [hi, wi, pi]);
    const part = (k: number) => g.slice(z, [k * H], [(k + 1) * H], [1]);
    const ig = g.node('Sigmoid', [part(0)]), fg = g.node('Sigmoid', [part(1)]), gg = g.node('Tanh', [part(2)]), og = g.node('Sigmoid', [part(3)]);
    // outputs named at their nodes (no Identity copies)
    g.output(g.node('Concat', [ig, fg, gg, og], { axis: { i: 1 } }, 'a'));
    const c2 = g.output(g.node('Add', [g.node('Mul', [fg, ci]), g.node('Mul', [ig, gg])], {}, 'c2'));
    const tc = g.output(g.node('Tanh', [c2], {}, 'tc'));
    g.output(g.node('Mul', [og, tc], {}, 'h2'));
    return new SyncSession(g.toBytes(), ['a', 'c2', 'tc', 'h2']);
  });
  const r = s.run({ p: { data: p, dims: [nb, 4 * H] }, h: { data: h, dims: [nb, H] }, c: { data: c, dims: [nb, H] }, w: { data: W, dims: [H, 4 * H] } });
  return { a: r.a.data, c: r.c2.data, tc: r.tc.data, h: r.h2.data };
}
