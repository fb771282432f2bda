/**
 * LSTM parameteriser (δMG CudnnLstmModel maths): Linear(nx→H) → ReLU →
 * one LSTM layer (H→H, gates i,f,g,o) → Linear(H→ny), no output activation.
 * Training applies DropConnect masks (rate `dropout`, scaled 1/(1−dr)) to the
 * input-to-hidden and hidden-to-hidden weights, redrawn every forward pass.
 * Inputs are forcings with the static attributes repeated along time.
 */
import { tf } from '../../core/tensor/index.js';
import { makeRng, uniform, type Rng } from './init.js';
import { Linear } from './linear.js';
import { lstmRecurrence } from './lstm-op.js';
import { lstmCoreOp } from './lstm-core-op.js';
import { nativeAvailable } from '../../core/native/sync-session.js';
import type { NnOutput, Parameteriser } from './types.js';

export interface LstmOptions {
  nx: number;
  hidden: number;
  ny: number;
  dropout?: number;
  seed?: number;
}

export class LstmCore {
  readonly linIn: Linear;
  readonly Wih: tf.Variable;
  readonly Whh: tf.Variable;
  readonly bias: tf.Variable;
  readonly linOut: Linear;
  private maskRng: Rng;
  /**
   * true: the whole core is one fused op on ONNX Runtime kernels (default when
   * the native binding loads); false: TF.js layers around the portable recurrence.
   */
  native = nativeAvailable();
  constructor(prefix: string, readonly opts: LstmOptions, vars: Map<string, tf.Variable>) {
    const rng = makeRng(opts.seed ?? 1);
    this.maskRng = makeRng((opts.seed ?? 1) + 7919);
    const H = opts.hidden;
    this.linIn = new Linear(`${prefix}.linIn`, opts.nx, H, rng, vars);
    const r = 1 / Math.sqrt(H);
    this.Wih = tf.variable(tf.tensor2d(uniform(rng, H * 4 * H, r), [H, 4 * H]), true);
    this.Whh = tf.variable(tf.tensor2d(uniform(rng, H * 4 * H, r), [H, 4 * H]), true);
    // b_ih + b_hh of PyTorch folded into one bias (sum of two U(±r) draws)
    const b1 = uniform(rng, 4 * H, r), b2 = uniform(rng, 4 * H, r);
    this.bias = tf.variable(tf.tensor1d(b1.map((v, i) => v + b2[i])), true);
    vars.set(`${prefix}.Wih`, this.Wih);
    vars.set(`${prefix}.Whh`, this.Whh);
    vars.set(`${prefix}.bias`, this.bias);
    this.linOut = new Linear(`${prefix}.linOut`, H, opts.ny, rng, vars);
  }

  /** Restart the dropout-mask stream (deterministic resume). */
  reseed(seed: number): void {
    this.maskRng = makeRng(seed + 7919);
  }

  private mask(shape: [number, number]): tf.Tensor2D {
    const dr = this.opts.dropout ?? 0;
    const n = shape[0] * shape[1];
    const m = new Float32Array(n);
    for (let i = 0; i < n; i++) m[i] = this.maskRng() < dr ? 0 : 1 / (1 - dr);
    return tf.tensor2d(m, shape);
  }

  /** x [nt, nb, nx] → raw outputs [nt, nb, ny]. */
  apply(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    const [nt, nb] = x.shape;
    const H = this.opts.hidden;
    const drop = training && (this.opts.dropout ?? 0) > 0;
    const Wih = drop ? tf.mul(this.Wih, this.mask([H, 4 * H])) : this.Wih;
    const Whh = drop ? tf.mul(this.Whh, this.mask([H, 4 * H])) : this.Whh;
    if (this.native) {
      const { linIn, linOut } = this;
      return lstmCoreOp(x, { Win: linIn.W as tf.Tensor2D, bin: linIn.b as tf.Tensor1D, Wih: Wih as tf.Tensor2D, Whh: Whh as tf.Tensor2D, bias: this.bias as tf.Tensor1D, Wout: linOut.W as tf.Tensor2D, bout: linOut.b as tf.Tensor1D }, true);
    }
    const x0 = tf.relu(this.linIn.apply(x)).reshape([nt * nb, H]);
    const pre = tf.add(tf.matMul(x0, Wih), this.bias).reshape([nt, nb, 4 * H]);
    return this.linOut.apply(lstmRecurrence(pre as tf.Tensor3D, Whh as tf.Tensor2D, false)) as tf.Tensor3D;
  }
}

/** Forcings and attributes concatenated along features: [nt, nb, nf + na]. */
export function withAttributes(x: tf.Tensor3D, c: tf.Tensor2D): tf.Tensor3D {
  const [nt, nb] = x.shape;
  if (c.shape[1] === 0) return x;
  return tf.concat([x, tf.broadcastTo(c.reshape([1, nb, c.shape[1]]), [nt, nb, c.shape[1]])], 2) as tf.Tensor3D;
}

/** Single LSTM giving every parameter per step (static ones taken from the last step by the mapper). */
export class LstmParameteriser implements Parameteriser {
  readonly kind = 'lstm';
  readonly variables = new Map<string, tf.Variable>();
  readonly core: LstmCore;
  constructor(opts: LstmOptions) {
    this.core = new LstmCore('lstm', opts, this.variables);
  }
  reseed(seed: number): void {
    this.core.reseed(seed);
  }
  forward(x: tf.Tensor3D, c: tf.Tensor2D, training: boolean): NnOutput {
    return { seq: this.core.apply(withAttributes(x, c), training) };
  }
}
