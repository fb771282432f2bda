/**
 * LSTM-only baseline: the same LSTM maps forcings + attributes straight to
 * streamflow, Q = softplus(y) mm/d (no process model), warm-up days cut.
 */
import { tf } from '../core/tensor/index.js';
import type { HydroModel } from './hydro-model.js';
import type { Batch } from './model.js';
import { LstmParameteriser } from './nn/lstm.js';

export class LstmOnlyModel implements HydroModel {
  constructor(readonly nn: LstmParameteriser, readonly warmUp: number) {}
  get variables(): Map<string, tf.Variable> {
    return this.nn.variables;
  }
  reseed(seed: number): void {
    this.nn.core.reseed(seed);
  }
  forward(b: Batch, training: boolean): { Q: tf.Tensor2D } {
    const y = this.nn.forward(b.x, b.c, training).seq!;
    const [nt, nb] = y.shape;
    const q = tf.softplus(tf.slice(y, [this.warmUp, 0, 0], [nt - this.warmUp, nb, 1]).reshape([nt - this.warmUp, nb]));
    return { Q: q as tf.Tensor2D };
  }
}
