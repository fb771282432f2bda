/**
 * Building blocks of the training-step graph (`cnn-step-graph.ts`): the
 * filter gradient (im2col for NCHWc layers, shifted windows for the plain
 * NCHW head), the activation gradient, the flipped
 * filter of the input gradient, and Keras clipnorm + Adam.
 */
import type { OnnxGraphBuilder } from '../core/onnx/graph-builder.js';

export interface AdamConstants {
  clipnorm: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * dW [O, I, k, k] of a stride-1 'same' conv from its zero-padded input `xp`
 * and zero-padded pre-activation gradient `dzp` (both padded by r = k/2 on
 * each side, square NCHW planes [B, C, side, side], side = P + 2r).
 *
 * Each kernel tap is one batched GEMM over per-sample windows of the
 * flattened planes: q runs over [g, Q − g) with g = r·side + r, which holds
 * every interior pixel, and for a tap shifted by s = (ky−r)·side + (kx−r)
 * the input window [g+s, Q−g+s) stays inside the sample's own plane. Ring
 * positions of `dzp` are zero, so they add nothing.
 */
export function filterGrad(
  g: OnnxGraphBuilder,
  xp: string,
  dzp: string,
  d: { B: number; side: number; I: number; O: number; k: number },
): string {
  const { B, side, I, O, k } = d;
  const r = (k - 1) / 2;
  const Q = side * side;
  const gd = r * side + r;
  const Qw = Q - 2 * gd;
  const i64 = (base: string, v: number[]): string => g.int64(g.uniqueName(base), v);
  // Per-sample windows [g, Q−g): xs(shift) [B, I, Qw] and dzw [B, Qw, O].
  const x3 = g.node('Reshape', [xp, i64('fg_x3', [B, I, Q])]);
  const dz3 = g.node('Reshape', [dzp, i64('fg_dz3', [B, O, Q])]);
  const dzw = g.node('Transpose', [gd > 0 ? g.slice(dz3, [gd], [Q - gd], [2]) : dz3], { perm: [0, 2, 1] });
  const xs = (s: number): string => (gd > 0 ? g.slice(x3, [gd + s], [gd + s + Qw], [2]) : x3);
  const taps: string[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      // Σ_n xs[n]·dzw[n] → [I, O], as [I, O, 1] for the tap stack. (One GEMM over all samples' rows was slower: BENCHMARKS.md.)
      const prod = g.node('ReduceSum', [g.node('MatMul', [xs((ky - r) * side + (kx - r)), dzw]), i64('fg_axes_n', [0])], { keepdims: { i: 0 } });
      taps.push(g.node('Unsqueeze', [prod, i64('fg_axes_u', [2])]));
    }
  }
  const stacked = taps.length === 1 ? taps[0] : g.concat(taps, 2); // [I, O, k²]
  return g.node('Transpose', [g.node('Reshape', [stacked, i64('fg_w', [I, O, k, k])])], { perm: [1, 0, 2, 3] });
}

/**
 * dW [O, I, k, k] of a stride-1 'same' conv by an im2col built with one
 * Gather: `xRows` is the input as [B, nb·H·W, bs] rows of bs channels (a
 * channel-blocked tensor with nb = I/bs blocks, or NHWC with nb = 1, bs = I)
 * and `dz` the pre-activation gradient in NHWC, [B, H·W, O]. A zero row put
 * in front stands for every tap that falls outside the image, so nothing is
 * padded. Then one batched GEMM per sample, dZᵀ [O×HW] · col [HW×k²I], and a
 * sum over samples. (Against 9 shifted-window GEMMs this moves ~4 fewer
 * copies of the activations per layer and runs ≈ 20 % faster at 2 threads.)
 */
export function filterGradIm2col(
  g: OnnxGraphBuilder,
  xRows: string,
  dz: string,
  d: { B: number; H: number; W: number; I: number; bs: number; O: number; k: number },
): string {
  const { B, H, W, I, bs, O, k } = d;
  const r = (k - 1) / 2;
  const nb = I / bs;
  const i64 = (base: string, v: number[]): string => g.int64(g.uniqueName(base), v);
  const zero = g.weight(g.uniqueName('im2col_zero'), new Float32Array(B * bs), [B, 1, bs]);
  const rows = g.concat([zero, xRows], 1); // row 0 = zeros, row 1 + b·HW + y·W + x = pixel (y, x) of block b
  const idx: number[] = [];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let ky = 0; ky < k; ky++)
        for (let kx = 0; kx < k; kx++) {
          const [yy, xx] = [y + ky - r, x + kx - r];
          const inside = yy >= 0 && yy < H && xx >= 0 && xx < W;
          for (let b = 0; b < nb; b++) idx.push(inside ? 1 + b * H * W + yy * W + xx : 0);
        }
  const index = g.node('Reshape', [i64('im2col_idx', idx), i64('im2col_idx_shape', [H * W, k * k * nb])]);
  const col = g.node('Reshape', [g.node('Gather', [rows, index], { axis: { i: 1 } }), i64('im2col_shape', [B, H * W, k * k * I])]);
  const prod = g.node('MatMul', [g.node('Transpose', [dz], { perm: [0, 2, 1] }), col]); // [B, O, k²·I], columns (tap, i)
  const sum = g.node('ReduceSum', [prod, i64('im2col_axes', [0])], { keepdims: { i: 0 } });
  return g.node('Transpose', [g.node('Reshape', [sum, i64('im2col_w', [O, k, k, I])])], { perm: [0, 3, 1, 2] });
}

/**
 * dZ = dA ⊙ f'(A) for A = LeakyReLU(Z) (ReLU: alpha 0), from the
 * activation output, whose sign is the pre-activation's: the slope is
 * clip(A·1e30, α, 1) — 1 where A > 0 (down to 1e-30; ±inf clips too), α
 * where A ≤ 0. Mul + Clip + Mul: ≈ 2× faster in ONNX Runtime than Where or
 * Sign + Max on these sizes (measured in isolation, 8 MB tensors).
 */
export function activationGrad(g: OnnxGraphBuilder, dA: string, A: string, alpha: number): string {
  const c = (base: string, v: number): string => g.weight(g.uniqueName(base), Float32Array.of(v), []);
  const slope = g.node('Clip', [g.node('Mul', [A, c('sign_gain', 1e30)]), c('slope_lo', alpha), c('slope_hi', 1)]);
  return g.node('Mul', [dA, slope]);
}

/** The input-gradient filter of a stride-1 'same' conv: W [O, I, k, k] → [I, O, k, k], flipped in both spatial axes. */
export function flippedTransposed(g: OnnxGraphBuilder, w: string, k: number): string {
  const wt = g.node('Transpose', [w], { perm: [1, 0, 2, 3] });
  return k > 1 ? g.slice(wt, [k - 1, k - 1], [-(k + 1), -(k + 1)], [2, 3], [-1, -1]) : wt;
}

/**
 * Clip `grad` to L2 norm ≤ clipnorm (Keras, per tensor), update the Adam
 * moments and the parameter (TF.js's form, see cnn-step-graph.ts). Declares
 * the moment inputs `m`, `v` and outputs `new_<param>`, `new_<m>`, `new_<v>`.
 */
export function adamUpdate(g: OnnxGraphBuilder, o: AdamConstants, t: { param: string; grad: string; m: string; v: string; a1: string; c2: string; shape: number[] }): void {
  const c = (base: string, val: number): string => g.weight(g.uniqueName(base), Float32Array.of(val), []);
  g.input(t.m, t.shape);
  g.input(t.v, t.shape);
  let gr = t.grad;
  if (o.clipnorm > 0) {
    const norm = g.node('Sqrt', [g.node('ReduceSumSquare', [t.grad], { keepdims: { i: 0 } })]);
    const cn = c('clipnorm', o.clipnorm);
    gr = g.node('Mul', [t.grad, g.node('Div', [cn, g.node('Max', [norm, cn])])]);
  }
  const m1 = g.add(g.node('Mul', [t.m, c('beta1', o.beta1)]), g.node('Mul', [gr, c('one_minus_beta1', 1 - o.beta1)]));
  const v1 = g.add(g.node('Mul', [t.v, c('beta2', o.beta2)]), g.node('Mul', [g.node('Mul', [gr, gr]), c('one_minus_beta2', 1 - o.beta2)]));
  const denom = g.add(g.node('Sqrt', [g.node('Mul', [v1, t.c2])]), c('epsilon', o.epsilon));
  g.output(g.node('Sub', [t.param, g.node('Div', [g.node('Mul', [m1, t.a1]), denom])]), `new_${t.param}`);
  g.output(m1, `new_${t.m}`);
  g.output(v1, `new_${t.v}`);
}
