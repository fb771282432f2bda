/** The contract every NN parameteriser fulfils (LSTM, MLP, LSTM+MLP, or a user's). */
import type { tf } from '../../core/tensor/index.js';

/** Raw (pre-sigmoid) outputs: per-step `seq` [nt, nb, ny] and/or per-basin `stat` [nb, ny]. */
export interface NnOutput {
  seq?: tf.Tensor3D;
  stat?: tf.Tensor2D;
}

export interface Parameteriser {
  readonly kind: string;
  /** Trainable weights by stable name (checkpoints use these names). */
  readonly variables: Map<string, tf.Variable>;
  /**
   * @param x normalised forcings [nt, nb, nf]
   * @param c normalised static attributes [nb, na]
   * @param training true draws dropout masks
   */
  forward(x: tf.Tensor3D, c: tf.Tensor2D, training: boolean): NnOutput;
  /** Restart dropout-mask streams from `seed`. */
  reseed?(seed: number): void;
}

/**
 * What the constructor of a user's NN class receives when a config names its
 * file (`model.nn.model: ./my_nn.ts`). `ny` gives the raw output channels the
 * parameter mapper needs for each layout: only per-step `seq`, only per-basin
 * `stat`, or `both` (per-step dynamic parameters + per-basin static ones and
 * routing).
 */
export interface ParameteriserOptions {
  /** per-step inputs: forcings then attributes repeated along time (nf + na) */
  nx: number;
  /** forcing inputs */
  nf: number;
  /** attribute inputs */
  na: number;
  ny: { seq: number; stat: number; both: { seq: number; stat: number } };
  /** `model.nn.hidden`, `model.nn.dropout` */
  hidden: number;
  dropout: number;
  /** `seed` of the config (deterministic initial weights) */
  seed: number;
  /** Free-form settings from `model.nn.options`. */
  options: Record<string, unknown>;
}
