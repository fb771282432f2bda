/**
 * The small ONNX graphs behind the native TF.js kernels, one cached
 * `SyncSession` per (op, attributes). Every graph takes and returns TF.js
 * layouts (NHWC data, [KH,KW,CI,CO] filters) and transposes inside ONNX
 * Runtime, so the kernels can hand it views of the wasm heap as they are.
 * Batch and spatial sizes are symbolic, so one session serves every size.
 */
import { OnnxGraphBuilder } from '../../../onnx/graph-builder.js';
import { SyncSession } from '../../../native/sync-session.js';

const sessions = new Map<string, SyncSession>();

function cached(key: string, build: () => OnnxGraphBuilder): SyncSession {
  let s = sessions.get(key);
  if (s === undefined) {
    s = new SyncSession(build().toBytes(), ['y']);
    sessions.set(key, s);
  }
  return s;
}

/** How many native sessions exist (one per distinct op + attributes). */
export function nativeSessionCount(): number {
  return sessions.size;
}

/** Fused activations mapped to ONNX ops ('prelu' is not: its kernels fall back). */
export type NativeActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';
export const NATIVE_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu']);

function activate(g: OnnxGraphBuilder, v: string, act: NativeActivation, alpha: number): string {
  switch (act) {
    case 'linear':
      return v;
    case 'relu':
      return g.relu(v);
    case 'relu6':
      return g.node('Clip', [v, g.weight('zero', Float32Array.of(0), []), g.weight('six', Float32Array.of(6), [])]);
    case 'elu':
      return g.node('Elu', [v], { alpha: { f: 1 } });
    case 'sigmoid':
      return g.node('Sigmoid', [v]);
    case 'leakyrelu':
      return g.leakyRelu(v, alpha);
  }
}

/** [top, left, bottom, right] pixels. */
export type Pads4 = [number, number, number, number];

export interface ConvGraphAttrs {
  pads: Pads4;
  strides: [number, number];
  dilations: [number, number];
  bias: boolean;
  activation: NativeActivation;
  alpha: number;
}

/** y = act(conv(x, w) + bias): x [B,H,W,CI], w [KH,KW,CI,CO], bias [CO] → y [B,OH,OW,CO]. */
export function conv2dSession(a: ConvGraphAttrs): SyncSession {
  return cached(`conv2d ${JSON.stringify(a)}`, () => {
    const g = new OnnxGraphBuilder('conv2d');
    const x = g.node('Transpose', [g.input('x', ['b', 'h', 'w', 'ci'])], { perm: [0, 3, 1, 2] });
    const w = g.node('Transpose', [g.input('w', ['kh', 'kw', 'ci', 'co'])], { perm: [3, 2, 0, 1] });
    const ins = a.bias ? [x, w, g.input('bias', ['co'])] : [x, w];
    const c = g.node('Conv', ins, { pads: a.pads, strides: a.strides, dilations: a.dilations });
    g.output(g.node('Transpose', [activate(g, c, a.activation, a.alpha)], { perm: [0, 2, 3, 1] }), 'y');
    return g;
  });
}

/**
 * dx of a conv: ConvTranspose(dy, w) with the forward conv's pads, strides and
 * dilations, plus `outputPadding` rows/cols at the end so dx is exactly H×W.
 * dy [B,OH,OW,CO], w [KH,KW,CI,CO] → dx [B,H,W,CI].
 */
export function conv2dInputGradSession(a: { pads: Pads4; strides: [number, number]; dilations: [number, number]; outputPadding: [number, number] }): SyncSession {
  return cached(`conv2d-dx ${JSON.stringify(a)}`, () => {
    const g = new OnnxGraphBuilder('conv2d_dx');
    const dy = g.node('Transpose', [g.input('dy', ['b', 'oh', 'ow', 'co'])], { perm: [0, 3, 1, 2] });
    // [KH,KW,CI,CO] → [CO,CI,KH,KW], ConvTranspose's [C_in, C_out, KH, KW].
    const w = g.node('Transpose', [g.input('w', ['kh', 'kw', 'ci', 'co'])], { perm: [3, 2, 0, 1] });
    const t = g.node('ConvTranspose', [dy, w], { pads: a.pads, strides: a.strides, dilations: a.dilations, output_padding: a.outputPadding });
    g.output(g.node('Transpose', [t], { perm: [0, 2, 3, 1] }), 'y');
    return g;
  });
}

/**
 * dw of a conv as a convolution: x with batch↔channel swapped ([CI,B,H,W])
 * by dy as the filter ([CO,B,OH,OW]), the forward stride as dilation and the
 * forward dilation as stride, then cropped to KH×KW when `crop` is set.
 * x [B,H,W,CI], dy [B,OH,OW,CO] → dw [KH,KW,CI,CO].
 */
export function conv2dFilterGradSession(a: { pads: Pads4; strides: [number, number]; dilations: [number, number]; crop: [number, number] | null }): SyncSession {
  return cached(`conv2d-dw ${JSON.stringify(a)}`, () => {
    const g = new OnnxGraphBuilder('conv2d_dw');
    const x = g.node('Transpose', [g.input('x', ['b', 'h', 'w', 'ci'])], { perm: [3, 0, 1, 2] });
    const dy = g.node('Transpose', [g.input('dy', ['b', 'oh', 'ow', 'co'])], { perm: [3, 0, 1, 2] });
    let c = g.node('Conv', [x, dy], { pads: a.pads, strides: a.strides, dilations: a.dilations });
    if (a.crop !== null) c = g.slice(c, [0, 0], a.crop, [2, 3]);
    g.output(g.node('Transpose', [c], { perm: [2, 3, 0, 1] }), 'y');
    return g;
  });
}

/**
 * act(op(a)·op(b) + bias) on rank-3 [batch, rows, cols] operands (batch 1
 * broadcasts); bias [N] when present.
 */
export function matMulSession(a: { transA: boolean; transB: boolean; bias: boolean; activation: NativeActivation; alpha: number }): SyncSession {
  return cached(`matmul ${JSON.stringify(a)}`, () => {
    const g = new OnnxGraphBuilder('matmul');
    let x = g.input('a', ['ba', 'ra', 'ca']);
    let w = g.input('b', ['bb', 'rb', 'cb']);
    if (a.transA) x = g.node('Transpose', [x], { perm: [0, 2, 1] });
    if (a.transB) w = g.node('Transpose', [w], { perm: [0, 2, 1] });
    let y = g.node('MatMul', [x, w]);
    if (a.bias) y = g.add(y, g.input('bias', ['n']));
    g.output(activate(g, y, a.activation, a.alpha), 'y');
    return g;
  });
}

/** act(op(A)·op(B) + bias) for 2-D operands, through Gemm (transposes folded into MLAS). */
export function gemmSession(a: { transA: boolean; transB: boolean; bias: boolean; activation: NativeActivation; alpha: number }): SyncSession {
  return cached(`gemm ${JSON.stringify(a)}`, () => {
    const g = new OnnxGraphBuilder('gemm');
    const ins = [g.input('a', ['ra', 'ca']), g.input('b', ['rb', 'cb'])];
    if (a.bias) ins.push(g.input('bias', ['n']));
    const y = g.node('Gemm', ins, { transA: { i: +a.transA }, transB: { i: +a.transB } });
    g.output(activate(g, y, a.activation, a.alpha), 'y');
    return g;
  });
}

/** Dispose every cached session (benches use it to change NUNATAK_THREADS within one process). */
export function resetNativeSessions(): void {
  for (const s of sessions.values()) s.dispose();
  sessions.clear();
}
