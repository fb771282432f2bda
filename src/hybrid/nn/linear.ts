/** A dense layer y = x·W + b with PyTorch's default U(±1/√fan_in) initialisation. */
import { tf } from '../../core/tensor/index.js';
import { uniform, type Rng } from './init.js';

export class Linear {
  readonly W: tf.Variable;
  readonly b: tf.Variable;
  constructor(name: string, nIn: number, nOut: number, rng: Rng, vars: Map<string, tf.Variable>) {
    const r = 1 / Math.sqrt(nIn);
    this.W = tf.variable(tf.tensor2d(uniform(rng, nIn * nOut, r), [nIn, nOut]), true);
    this.b = tf.variable(tf.tensor1d(uniform(rng, nOut, r)), true);
    vars.set(`${name}.W`, this.W);
    vars.set(`${name}.b`, this.b);
  }
  /** x [..., nIn] → [..., nOut]. */
  apply(x: tf.Tensor): tf.Tensor {
    const shape = x.shape;
    const x2 = x.reshape([-1, shape[shape.length - 1]!]);
    const y = tf.add(tf.matMul(x2, this.W), this.b);
    return y.reshape([...shape.slice(0, -1), this.W.shape[1]!] as number[]);
  }
}
