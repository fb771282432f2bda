/** LSTM for the dynamic parameters + MLP (attributes only) for static and routing parameters (δHBV 2.0 style). */
import type { tf } from '../../core/tensor/index.js';
import { LstmCore, withAttributes, type LstmOptions } from './lstm.js';
import { MlpCore, type MlpOptions } from './mlp.js';
import type { NnOutput, Parameteriser } from './types.js';

export class LstmMlpParameteriser implements Parameteriser {
  readonly kind = 'lstm_mlp';
  readonly variables = new Map<string, tf.Variable>();
  readonly lstm: LstmCore;
  readonly mlp: MlpCore;
  constructor(lstm: LstmOptions, mlp: MlpOptions) {
    this.lstm = new LstmCore('lstm', lstm, this.variables);
    this.mlp = new MlpCore('mlp', mlp, this.variables);
  }
  reseed(seed: number): void {
    this.lstm.reseed(seed);
    this.mlp.reseed(seed + 1);
  }
  forward(x: tf.Tensor3D, c: tf.Tensor2D, training: boolean): NnOutput {
    return { seq: this.lstm.apply(withAttributes(x, c), training), stat: this.mlp.apply(c, training) };
  }
}
