/** What the trainer drives: anything with weights and a forward pass to streamflow. */
import type { tf } from '../core/tensor/index.js';
import type { Batch } from './model.js';

export interface HydroModel {
  readonly variables: Map<string, tf.Variable>;
  /** Streamflow [nt − warmUp, nb] mm/d for a batch of nt days. */
  forward(b: Batch, training: boolean): { Q: tf.Tensor2D };
  /** Reseed the dropout masks (determinism across resume). */
  reseed?(seed: number): void;
}
