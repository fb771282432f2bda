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
