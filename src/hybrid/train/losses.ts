/**
 * NaN-masked training losses on predicted and observed flow [nt, nb] (mm/d).
 * Days where the observation is NaN contribute nothing.
 */
import { tf } from '../../core/tensor/index.js';
import { NunatakError, didYouMean } from '../../core/errors.js';
import { LOSS_NAMES } from './config.js';

export type LossName = 'rmse' | 'rmse_comb' | 'nse_star' | 'kge';

/** Extra per-batch data a loss may use. */
export interface LossContext {
  /** std of each batch basin's training flow [nb] (mm/d) */
  sigma: tf.Tensor1D;
}

/**
 * A user's loss (`train.loss: ./my_loss.ts`): predicted and observed flow
 * [nt, nb] (mm/d; `obs` is NaN where there is no observation) and `mask`
 * [nt, nb] (1 where `obs` is finite, else 0) → the value to minimise, a
 * one-element tensor (TF.js reductions such as tf.mean return tf.Tensor, so
 * any tensor type is accepted; its size is checked when loaded).
 */
export type LossFunction = (pred: tf.Tensor2D, obs: tf.Tensor2D, mask: tf.Tensor2D, ctx: LossContext) => tf.Tensor;
export const LOSSES = LOSS_NAMES as LossName[];

function masked(pred: tf.Tensor, obs: tf.Tensor) {
  const mask = tf.logicalNot(tf.isNaN(obs));
  const o = tf.where(mask, obs, tf.zerosLike(obs));
  const p = tf.where(mask, pred, tf.zerosLike(pred));
  const m = tf.cast(mask, 'float32');
  const n = tf.maximum(tf.sum(m), 1);
  return { o, p, m, n };
}

/** √(mean((p − o)²)) over the finite observations. */
export function rmse(pred: tf.Tensor, obs: tf.Tensor): tf.Scalar {
  const { o, p, n } = masked(pred, obs);
  return tf.sqrt(tf.add(tf.div(tf.sum(tf.square(tf.sub(p, o))), n), 1e-12)) as tf.Scalar;
}

/** (1−α)·RMSE(Q) + α·RMSE(log10(√(Q+β)+0.1)), α = 0.25, β = 1e-6 (δMG RmseCombLoss). */
export function rmseComb(pred: tf.Tensor, obs: tf.Tensor, alpha = 0.25, beta = 1e-6): tf.Scalar {
  const tr = (x: tf.Tensor) => tf.div(tf.log(tf.add(tf.sqrt(tf.add(tf.relu(x), beta)), 0.1)), Math.LN10);
  const mask = tf.logicalNot(tf.isNaN(obs));
  const obsT = tf.where(mask, tr(tf.where(mask, obs, tf.zerosLike(obs))), tf.fill(obs.shape, NaN));
  return tf.add(tf.mul(1 - alpha, rmse(pred, obs)), tf.mul(alpha, rmse(tr(pred), obsT))) as tf.Scalar;
}

/** Kratzert NSE*: mean((p − o)² / (σ_b + ε)²) with σ_b the training-flow std of each basin [nb], ε = 0.1. */
export function nseStar(pred: tf.Tensor, obs: tf.Tensor, sigma: tf.Tensor1D, eps = 0.1): tf.Scalar {
  const { o, p, n } = masked(pred, obs);
  const w = tf.div(1, tf.square(tf.add(sigma, eps))).reshape([1, -1]);
  return tf.div(tf.sum(tf.mul(tf.square(tf.sub(p, o)), w)), n) as tf.Scalar;
}

/** 1 − KGE (2009) over the pooled batch: KGE = 1 − √((r−1)² + (σp/σo − 1)² + (μp/μo − 1)²). */
export function kgeLoss(pred: tf.Tensor, obs: tf.Tensor): tf.Scalar {
  const { o, p, m, n } = masked(pred, obs);
  const mo = tf.div(tf.sum(o), n), mp = tf.div(tf.sum(p), n);
  const dop = tf.mul(tf.sub(o, mo), m), dpp = tf.mul(tf.sub(p, mp), m);
  const so = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(dop)), n), 1e-12));
  const sp = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(dpp)), n), 1e-12));
  const r = tf.div(tf.div(tf.sum(tf.mul(dop, dpp)), n), tf.mul(so, sp));
  const ed = tf.sqrt(tf.add(tf.add(tf.square(tf.sub(r, 1)), tf.square(tf.sub(tf.div(sp, so), 1))), tf.square(tf.sub(tf.div(mp, mo), 1))));
  return ed as tf.Scalar;
}

export function checkLoss(name: string): LossName {
  if (!(LOSSES as string[]).includes(name)) {
    throw new NunatakError('CONFIG', `unknown loss '${name}'${didYouMean(name, LOSSES)}`, { hint: `use one of ${LOSSES.join(', ')}` });
  }
  return name as LossName;
}

export function lossFn(name: LossName, pred: tf.Tensor, obs: tf.Tensor, sigma?: tf.Tensor1D): tf.Scalar {
  switch (name) {
    case 'rmse':
      return rmse(pred, obs);
    case 'rmse_comb':
      return rmseComb(pred, obs);
    case 'nse_star':
      return nseStar(pred, obs, sigma!);
    case 'kge':
      return kgeLoss(pred, obs);
  }
}
