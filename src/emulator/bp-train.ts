/**
 * Physics-informed training of a Blatter–Pattyn emulator (Jouvet & Cordonnier
 * 2023): no target data, the loss is the BP energy of the network's own
 * output, J(where(thk > 0, net(X), 0)), whose gradient with respect to U, V is
 * the energy kernel's hand-written adjoint (`bpEnergyLoss`, a TF.js custom-
 * gradient op) chained into TF.js backprop through the CNN. Adam with Keras
 * clipnorm (each gradient tensor clipped to norm ≤ clipnorm), one geometry
 * per step, as IGM's pretraining and in-run retraining.
 */
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';
import { bpEnergyLoss, type BPProblem } from '../sim/index.js';
import { bpInputs, type BPInputGeometry } from './bp-emulator.js';
import { clipByNorm } from './fit.js';
import { Rng } from './rng.js';

/** One training geometry with its energy problem (built once, reused every epoch). */
export interface BPSample {
  geom: BPInputGeometry;
  problem: BPProblem;
}

export interface BPTrainOptions {
  /** Adam learning rate. */
  learningRate: number;
  /** Keras clipnorm per gradient tensor; 0 = off. IGM: 1.0 (pretraining), none (retraining). */
  clipnorm: number;
  /** IGM's pretraining decay lr·0.9^(epoch/100); off for retraining. */
  decay: boolean;
  /** Shuffle seed for the sample order per epoch. */
  seed: number;
}

export interface BPEpoch {
  epoch: number;
  /** Mean energy over the epoch's steps (MPa m a⁻¹), before each step's update. */
  loss: number;
  seconds: number;
}

/** Field names in a BP emulator's input order. */
const INPUTS = ['thk', 'usurf', 'arrhenius', 'slidingco', 'dX'];

/** Holds the optimizer between calls, so in-run retraining continues Adam's moments as IGM's `opti_retrain`. */
export class BPTrainer {
  private readonly optimizer: tf.AdamOptimizer;
  private readonly vars: tf.Variable[];
  private readonly rng: Rng;
  private epochs = 0;

  constructor(
    readonly model: tf.LayersModel,
    readonly o: BPTrainOptions,
    readonly inputs: string[] = INPUTS,
  ) {
    this.optimizer = tf.train.adam(o.learningRate, 0.9, 0.999, 1e-7);
    this.vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.rng = new Rng(o.seed);
  }

  /** Energy of the network's (masked) output for one geometry, without training. */
  energy(s: BPSample): number {
    return tf.tidy(() => this.lossTensor(s, false).dataSync()[0]);
  }

  /** The loss J(where(thk > 0, net(X), 0)) as a differentiable TF.js scalar. */
  lossTensor(s: BPSample, training = true): tf.Scalar {
    return bpEnergyLoss(this.output(s, training), [s.problem]);
  }

  private output(s: BPSample, training: boolean): tf.Tensor4D {
    const { ny, nx } = s.geom;
    const x = tf.tensor4d(bpInputs(s.geom, this.inputs), [1, ny, nx, this.inputs.length]);
    const mask = tf.tensor4d(Float32Array.from(s.geom.thk, (h) => (h > 0 ? 1 : 0)), [1, ny, nx, 1]);
    return tf.mul(this.model.apply(x, { training }) as tf.Tensor4D, mask);
  }

  /** One optimisation step on one geometry; returns the energy before the step. */
  step(s: BPSample): number {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.lossTensor(s), this.vars);
      const clipped: tf.NamedTensorMap = {};
      for (const [k, g] of Object.entries(grads)) clipped[k] = this.o.clipnorm > 0 ? clipByNorm(g, this.o.clipnorm) : g;
      this.optimizer.applyGradients(clipped as Parameters<typeof this.optimizer.applyGradients>[0]);
      return value.dataSync()[0];
    });
  }

  /** `epochs` passes over the samples (shuffled each pass); stops with an error on a NaN energy. */
  train(samples: BPSample[], epochs: number, onEpoch?: (e: BPEpoch) => void): BPEpoch[] {
    const out: BPEpoch[] = [];
    const order = samples.map((_, k) => k);
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      // tfjs' Adam reads its (protected) learningRate at every step, so the decay can set it.
      if (this.o.decay) (this.optimizer as unknown as { learningRate: number }).learningRate = this.o.learningRate * 0.9 ** (this.epochs / 100);
      if (samples.length > 1) this.rng.shuffle(order);
      let sum = 0;
      for (const k of order) {
        const J = this.step(samples[k]);
        if (!Number.isFinite(J)) {
          throw new NunatakError('NUMERIC', `BP emulator training: the energy is ${J} at epoch ${this.epochs + 1} (sample ${k})`, { hint: 'lower the learning rate or check the geometry (thk ≥ 0, finite usurf, A > 0)' });
        }
        sum += J;
      }
      this.epochs++;
      const row = { epoch: this.epochs, loss: sum / samples.length, seconds: (performance.now() - t0) / 1000 };
      out.push(row);
      onEpoch?.(row);
    }
    return out;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
