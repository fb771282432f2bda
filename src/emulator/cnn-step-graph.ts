/**
 * One whole training step of a plain conv stack as a single ONNX graph:
 * forward, loss, backward, Keras clipnorm and Adam, run by ONNX Runtime
 * (MLAS convolutions and GEMMs, its own thread pool) in one call: no per-op
 * dispatch, no JS between ops.
 *
 * Layouts. With NCHWc kernels (`nchwc.ts`, block size bs) every layer but the
 * last keeps its activations channel-blocked and runs its forward conv
 * (bias and activation fused) and its input-gradient conv as NCHWc direct
 * convolutions; the last layer (DLE's 1×1 head with 2 outputs, not a
 * multiple of bs) and every layer without NCHWc run plain NCHW Conv.
 * Filter gradients (`cnn-step-parts.ts`) of blocked layers come from one
 * Gather-built im2col and one batched GEMM; the plain last layer uses
 * shifted windows of zero-padded NCHW planes.
 * The input gradient is the conv of the pre-activation gradient with the
 * flipped, transposed filter (stride 1, 'same').
 *
 * Adam follows TF.js's `tf.train.adam` (the TF.js trainer this replaces):
 *   m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,
 *   θ ← θ − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε),
 * with the two bias corrections fed per step as `a1` = lr/(1−β1^t) and
 * `c2` = 1/(1−β2^t). Gradients are clipped per tensor to L2 norm ≤ clipnorm
 * first (Keras), and L2 regularisation adds l2·Σ‖W‖² over conv kernels.
 */
import { OnnxGraphBuilder } from '../core/onnx/graph-builder.js';
import type { ConvStep } from './cnn-plan.js';
import { activationGrad, adamUpdate, filterGrad, filterGradIm2col, flippedTransposed, type AdamConstants } from './cnn-step-parts.js';
import { NCHWC, filterBiBo, filterBo } from './nchwc.js';

export interface StepGraphOptions extends AdamConstants {
  batch: number;
  /** Patch side (pixels). */
  patch: number;
  loss: 'mae' | 'mse';
  /** L2 factor on conv kernels; 0 = off. */
  l2: number;
}

/** Names of one layer's tensors in the graph (inputs; outputs add the prefix `new_`). */
export function paramNames(l: number): { w: string; b: string; mw: string; vw: string; mb: string; vb: string } {
  return { w: `w${l}`, b: `b${l}`, mw: `mw${l}`, vw: `vw${l}`, mb: `mb${l}`, vb: `vb${l}` };
}

/**
 * Which layers run blocked with NCHWc block size `bs` (0 = none): all but
 * the last, when each of them has a multiple of bs outputs and the first
 * takes fewer than bs channels (plain input) or a multiple of bs.
 */
export function blockedLayers(steps: ConvStep[], bs: number): boolean[] {
  const hidden = steps.slice(0, -1);
  const nin = steps[0].inChannels;
  const ok = bs > 0 && hidden.length > 0 && hidden.every((s) => s.outChannels % bs === 0) && (nin < bs || nin % bs === 0);
  return steps.map((_, l) => ok && l < steps.length - 1);
}

/**
 * Build the step graph. Inputs: `x` [B,p,p,nin] and `y` [B,p,p,nout]
 * (channels-last, as the batch cycler makes them), `a1`, `c2` ([1]), and per
 * layer l: `w{l}` [O,I,k,k], `b{l}` [O], Adam moments `mw{l}`, `vw{l}`,
 * `mb{l}`, `vb{l}`. Outputs: `new_<name>` for each of those six per layer,
 * and `loss`, `mae`, `mse` (scalars; loss includes the L2 term).
 * `bs`: NCHWc block size (0 = plain NCHW only).
 */
export function buildStepGraph(steps: ConvStep[], o: StepGraphOptions, bs = 0): Uint8Array {
  const g = new OnnxGraphBuilder('cnn_train_step');
  const { batch: B, patch: P } = o;
  const nin = steps[0].inChannels;
  const nout = steps[steps.length - 1].outChannels;
  const blocked = blockedLayers(steps, bs);
  const c = (base: string, v: number): string => g.weight(g.uniqueName(base), Float32Array.of(v), []);
  const i64 = (base: string, v: number[]): string => g.int64(g.uniqueName(base), v);
  const padNchw = (t: string, r: number): string => (r > 0 ? g.pad(t, [0, 0, r, r, 0, 0, r, r]) : t);
  const toBlocked = (t: string): string => g.nodeIn(NCHWC, 'ReorderInput', [t]);
  const toPlain = (t: string, channels: number, channelsLast: boolean): string =>
    g.nodeIn(NCHWC, 'ReorderOutput', [t], { channels: { i: channels }, channels_last: { i: channelsLast ? 1 : 0 } });

  const xIn = g.input('x', [B, P, P, nin]);
  const y = g.node('Transpose', [g.input('y', [B, P, P, nout])], { perm: [0, 3, 1, 2] });
  const a1 = g.input('a1', [1]);
  const c2 = g.input('c2', [1]);

  // Forward. ins[l]: the input as layer l reads it; padded[l]: its zero-padded NCHW copy (plain layers).
  const ins: { t: string; blocked: boolean }[] = [];
  const padded: string[] = [];
  const acts: string[] = [];
  let a = blocked[0] && nin >= bs ? g.nodeIn(NCHWC, 'ReorderInput', [xIn], { channels_last: { i: 1 } }) : g.node('Transpose', [xIn], { perm: [0, 3, 1, 2] });
  let aBlocked = blocked[0] && nin >= bs;
  steps.forEach((s, l) => {
    const n = paramNames(l);
    const r = (s.kernel - 1) / 2;
    const w = g.input(n.w, [s.outChannels, s.inChannels, s.kernel, s.kernel]);
    const b = g.input(n.b, [s.outChannels]);
    if (blocked[l]) {
      const wb = aBlocked ? filterBiBo(g, w, s.outChannels, s.inChannels, s.kernel, bs) : filterBo(g, w, s.outChannels, s.inChannels, s.kernel, bs);
      const act: Record<string, { floats: number[] } | string> =
        s.activation === 'linear' ? {} : { activation: s.activation === 'relu' ? 'Relu' : 'LeakyRelu', ...(s.activation === 'lrelu' ? { activation_params: { floats: [s.alpha] } } : {}) };
      ins.push({ t: a, blocked: aBlocked });
      padded.push('');
      a = g.nodeIn(NCHWC, 'Conv', [a, wb, b], { pads: [r, r, r, r], kernel_shape: [s.kernel, s.kernel], ...act });
      aBlocked = true;
    } else {
      if (aBlocked) a = toPlain(a, s.inChannels, false);
      aBlocked = false;
      ins.push({ t: a, blocked: false });
      const p = padNchw(a, r);
      padded.push(p);
      const z = g.conv(p, w, b);
      a = s.activation === 'lrelu' ? g.leakyRelu(z, s.alpha) : s.activation === 'relu' ? g.relu(z) : z;
    }
    acts.push(a);
  });

  // Loss and its gradient with respect to the prediction (plain NCHW: the last layer is plain).
  const d = g.node('Sub', [a, y]);
  const count = B * nout * P * P;
  const mae = g.node('ReduceMean', [g.node('Abs', [d])], { keepdims: { i: 0 } });
  const mse = g.node('ReduceMean', [g.node('Mul', [d, d])], { keepdims: { i: 0 } });
  let dA = o.loss === 'mae' ? g.node('Mul', [g.node('Sign', [d]), c('inv_n', 1 / count)]) : g.node('Mul', [d, c('two_inv_n', 2 / count)]);
  let dABlocked = false;
  let loss = o.loss === 'mae' ? mae : mse;
  if (o.l2 > 0) {
    const reg = steps.map((_, l) => g.node('ReduceSumSquare', [paramNames(l).w], { keepdims: { i: 0 } })).reduce((s, t) => g.add(s, t));
    loss = g.add(loss, g.node('Mul', [reg, c('l2', o.l2)]));
  }
  g.output(loss, 'loss');
  g.output(mae, 'mae');
  g.output(mse, 'mse');

  // Backward, last layer first.
  for (let l = steps.length - 1; l >= 0; l--) {
    const s = steps[l];
    const n = paramNames(l);
    const r = (s.kernel - 1) / 2;
    const [O, I, k] = [s.outChannels, s.inChannels, s.kernel];
    const side = P + 2 * r;
    if (blocked[l] && !dABlocked) dA = toBlocked(dA);
    if (!blocked[l] && dABlocked) dA = toPlain(dA, O, false);
    const dZ = s.activation === 'linear' ? dA : activationGrad(g, dA, acts[l], s.alpha);
    let db: string;
    let dW: string;
    if (blocked[l]) {
      db = g.node('Reshape', [g.node('ReduceSum', [g.node('Reshape', [dZ, i64('db_in', [B, O / bs, P * P, bs])]), i64('db_axes', [0, 2])], { keepdims: { i: 0 } }), i64('db_out', [O])]);
      // Input rows for the im2col: the blocked input itself, or (first layer, plain input) the NHWC batch.
      const inp = ins[l];
      const xRows = inp.blocked ? g.node('Reshape', [inp.t, i64('rows', [B, (I / bs) * P * P, bs])]) : g.node('Reshape', [l === 0 ? xIn : g.node('Transpose', [inp.t], { perm: [0, 2, 3, 1] }), i64('rows', [B, P * P, I])]);
      const dzRows = g.node('Reshape', [toPlain(dZ, O, true), i64('dz_rows', [B, P * P, O])]);
      dW = filterGradIm2col(g, xRows, dzRows, { B, H: P, W: P, I, bs: inp.blocked ? bs : I, O, k });
      if (l > 0) {
        dA = g.nodeIn(NCHWC, 'Conv', [dZ, filterBiBo(g, flippedTransposed(g, n.w, k), I, O, k, bs)], { pads: [r, r, r, r], kernel_shape: [k, k] });
        dABlocked = true;
      }
    } else {
      db = g.node('ReduceSum', [dZ, i64('db_axes', [0, 2, 3])], { keepdims: { i: 0 } });
      const dzp = padNchw(dZ, r);
      dW = filterGrad(g, padded[l], dzp, { B, side, I, O, k });
      if (l > 0) {
        dA = g.conv(dzp, flippedTransposed(g, n.w, k));
        dABlocked = false;
      }
    }
    if (o.l2 > 0) dW = g.add(dW, g.node('Mul', [n.w, c('two_l2', 2 * o.l2)]));
    adamUpdate(g, o, { param: n.w, grad: dW, m: n.mw, v: n.vw, a1, c2, shape: [O, I, k, k] });
    adamUpdate(g, o, { param: n.b, grad: db, m: n.mb, v: n.vb, a1, c2, shape: [O] });
  }
  return g.toBytes();
}
