/**
 * Small ONNX graphs run synchronously through ONNX Runtime for the LSTM's hot
 * paths, writing into caller-owned arrays (SyncSession.runInto: fresh output
 * arrays at 730 steps × [nb, 4H] would mean hundreds of MB of copies and page
 * faults per iteration): a dense layer y = x·W + b (optionally ReLU) and one
 * LSTM cell step (plain gemms: core/native gemmInto)
 * (recurrent gemm + gate nonlinearities + cell update fused: MLAS's
 * vectorised sigmoid/tanh instead of per-element Math.exp calls).
 * Sessions are built once per shape family and cached.
 */
import { OnnxGraphBuilder } from '../../core/onnx/graph-builder.js';
import { SyncSession } from '../../core/native/sync-session.js';

const sessions = new Map<string, SyncSession>();

function cached(key: string, build: (g: OnnxGraphBuilder) => void): SyncSession {
  let s = sessions.get(key);
  if (s === undefined) {
    const g = new OnnxGraphBuilder(key);
    build(g);
    sessions.set(key, (s = new SyncSession(g.toBytes())));
  }
  return s;
}

/** y [n, m] ← x [n, k] · W [k, m] + b [m], then ReLU when `relu`. */
export function denseInto(y: Float32Array, x: Float32Array, W: Float32Array, b: Float32Array, n: number, k: number, m: number, relu: boolean): void {
  const s = cached(`dense${+relu}`, (g) => {
    const xi = g.input('x', ['n', 'k']), wi = g.input('w', ['k', 'm']), bi = g.input('b', ['m']);
    const z = g.node('Gemm', [xi, wi, bi], {}, relu ? undefined : 'y');
    if (relu) g.node('Relu', [z], {}, 'y');
    g.output('y');
  });
  s.runInto({ x: { data: x, dims: [n, k] }, w: { data: W, dims: [k, m] }, b: { data: b, dims: [m] } }, { y: { data: y, dims: [n, m] } });
}

/** Where one cell step writes: activated gates [nb, 4H] (i, f, g, o), c', tanh(c'), h' [nb, H]. */
export interface CellOut {
  a: Float32Array;
  c: Float32Array;
  tc: Float32Array;
  h: Float32Array;
}

/**
 * One LSTM step: z = p + h·W (p: input projection + bias, [nb, 4H]; W [H, 4H]),
 * i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g), c' = f·c + i·g, h' = o·tanh(c').
 * `out.a` may be `p` itself (p is read once, by the first node).
 */
export function lstmStepInto(out: CellOut, p: Float32Array, h: Float32Array, c: Float32Array, W: Float32Array, nb: number, H: number): void {
  const s = cached(`lstm${H}`, (g) => {
    const pi = g.input('p', ['nb', 4 * H]), hi = g.input('h', ['nb', H]), ci = g.input('c', ['nb', H]), wi = g.input('w', [H, 4 * H]);
    const z = g.node('Gemm', [hi, wi, pi]);
    const part = (k: number) => g.slice(z, [k * H], [(k + 1) * H], [1]);
    const ig = g.node('Sigmoid', [part(0)]), fg = g.node('Sigmoid', [part(1)]), gg = g.node('Tanh', [part(2)]), og = g.node('Sigmoid', [part(3)]);
    // outputs named at their nodes (no Identity copies)
    g.output(g.node('Concat', [ig, fg, gg, og], { axis: { i: 1 } }, 'a'));
    const c2 = g.output(g.node('Add', [g.node('Mul', [fg, ci]), g.node('Mul', [ig, gg])], {}, 'c2'));
    const tc = g.output(g.node('Tanh', [c2], {}, 'tc'));
    g.output(g.node('Mul', [og, tc], {}, 'h2'));
  });
  const d4 = [nb, 4 * H], d1 = [nb, H];
  s.runInto(
    { p: { data: p, dims: d4 }, h: { data: h, dims: d1 }, c: { data: c, dims: d1 }, w: { data: W, dims: [H, 4 * H] } },
    { a: { data: out.a, dims: d4 }, c2: { data: out.c, dims: d1 }, tc: { data: out.tc, dims: d1 }, h2: { data: out.h, dims: d1 } },
  );
}
