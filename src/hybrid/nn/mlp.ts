/**
 * MLP parameteriser on static attributes only: `layers` hidden Linear+ReLU
 * (+ dropout when training), then Linear to ny raw outputs (static + routing).
 */
import { tf } from '../../core/tensor/index.js';
import { makeRng, type Rng } from './init.js';
import { Linear } from './linear.js';
import type { NnOutput, Parameteriser } from './types.js';

export interface MlpOptions {
  na: number;
  hidden: number;
  ny: number;
  layers?: number;
  dropout?: number;
  seed?: number;
}

export class MlpCore {
  readonly layers: Linear[] = [];
  private maskRng: Rng;
  constructor(prefix: string, readonly opts: MlpOptions, vars: Map<string, tf.Variable>) {
    const rng = makeRng(opts.seed ?? 2);
    this.maskRng = makeRng((opts.seed ?? 2) + 104729);
    const n = opts.layers ?? 2;
    let nin = opts.na;
    for (let i = 0; i < n; i++) {
      this.layers.push(new Linear(`${prefix}.h${i}`, nin, opts.hidden, rng, vars));
      nin = opts.hidden;
    }
    this.layers.push(new Linear(`${prefix}.out`, nin, opts.ny, rng, vars));
  }
  /** Restart the dropout-mask stream (deterministic resume). */
  reseed(seed: number): void {
    this.maskRng = makeRng(seed + 104729);
  }
  /** c [nb, na] → [nb, ny]. */
  apply(c: tf.Tensor2D, training: boolean): tf.Tensor2D {
    let h: tf.Tensor = c;
    const dr = this.opts.dropout ?? 0;
    for (let i = 0; i < this.layers.length - 1; i++) {
      h = tf.relu(this.layers[i].apply(h));
      if (training && dr > 0) {
        const n = h.size;
        const m = new Float32Array(n);
        for (let j = 0; j < n; j++) m[j] = this.maskRng() < dr ? 0 : 1 / (1 - dr);
        h = tf.mul(h, tf.tensor(m, h.shape));
      }
    }
    return this.layers[this.layers.length - 1].apply(h) as tf.Tensor2D;
  }
}

export class MlpParameteriser implements Parameteriser {
  readonly kind = 'mlp';
  readonly variables = new Map<string, tf.Variable>();
  readonly core: MlpCore;
  constructor(opts: MlpOptions) {
    this.core = new MlpCore('mlp', opts, this.variables);
  }
  reseed(seed: number): void {
    this.core.reseed(seed);
  }
  forward(_x: tf.Tensor3D, c: tf.Tensor2D, training: boolean): NnOutput {
    return { stat: this.core.apply(c, training) };
  }
}
