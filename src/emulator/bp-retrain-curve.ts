/**
 * How a BP emulator approaches the solver's answer while it is retrained on
 * one geometry (IGM's in-run retraining: Adam on the energy of the network's
 * own output, no clipping, no decay): at chosen iteration counts, the surface
 * speed agreement with a solved field (cells and corners) and the energy of
 * the emulator field over the solver's minimum.
 */
import { performance } from 'node:perf_hooks';
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';
import { bpInputs, splitUV } from './bp-emulator.js';
import { surfaceSpeedAgreement, type BPField } from './bp-surface-speed.js';
import { BPTrainer, type BPSample } from './bp-train.js';

export interface RetrainPoint {
  /** Adam iterations done so far. */
  iterations: number;
  /** Mean relative surface-speed difference on cells / on corners (reference speed > 1 m a⁻¹). */
  meanRelCells: number;
  meanRelCorners: number;
  /** Energy of the emulator field (MPa m a⁻¹) and its ratio to the reference's (1 = at the minimum). */
  Jemulated: number;
  energyRatio: number;
  /** Wall time since the start of retraining (s). */
  seconds: number;
}

export interface RetrainCurveOptions {
  /** Adam learning rate (IGM's retrain_emulator_lr: 2e-5). */
  learningRate: number;
  /** Iteration counts at which to measure, ascending, ≥ 0; the last is the number of iterations run. */
  checkpoints: number[];
  /** Trainer seed (one sample: no shuffling, so the run is deterministic anyway). */
  seed?: number;
}

/** The model's field on the sample's geometry, zero off the ice. */
export function emulatorField(model: tf.LayersModel, s: BPSample, inputs: string[]): BPField {
  const { nx, ny } = s.geom;
  const y = tf.tidy(() => (model.predict(tf.tensor4d(bpInputs(s.geom, inputs), [1, ny, nx, inputs.length])) as tf.Tensor).dataSync());
  return splitUV(y, s.geom.thk, s.problem.settings.Nz, ny, nx);
}

/**
 * Retrain `model` in place on `s` and measure against `reference` (the
 * solver's field on the same problem) at each checkpoint.
 */
export function retrainCurve(
  model: tf.LayersModel, s: BPSample, reference: BPField, o: RetrainCurveOptions,
  inputs = ['thk', 'usurf', 'arrhenius', 'slidingco', 'dX'], onPoint?: (p: RetrainPoint) => void,
): RetrainPoint[] {
  const cps = o.checkpoints;
  if (cps.length === 0 || cps.some((c, k) => !Number.isInteger(c) || c < 0 || (k > 0 && c <= cps[k - 1]))) {
    throw new NunatakError('INPUT', `retrainCurve: checkpoints ${JSON.stringify(cps)} must be ascending non-negative integers`);
  }
  const Jref = s.problem.energy(reference.U, reference.V);
  if (!(Jref < 0)) throw new NunatakError('NUMERIC', `retrainCurve: the reference field's energy is ${Jref} MPa m a⁻¹, expected < 0 (a solved, downhill flow)`);
  const Nz = s.problem.settings.Nz;
  const trainer = new BPTrainer(model, { learningRate: o.learningRate, clipnorm: 0, decay: false, seed: o.seed ?? 1 }, inputs);
  const out: RetrainPoint[] = [];
  const t0 = performance.now();
  let done = 0;
  try {
    for (const cp of cps) {
      if (done < cp) trainer.train([s], cp - done);
      done = cp;
      const f = emulatorField(model, s, inputs);
      const J = s.problem.energy(f.U, f.V);
      const p: RetrainPoint = {
        iterations: cp,
        meanRelCells: surfaceSpeedAgreement(f, reference, s.geom, Nz, 'cells').meanRel,
        meanRelCorners: surfaceSpeedAgreement(f, reference, s.geom, Nz, 'corners').meanRel,
        Jemulated: J, energyRatio: J / Jref, seconds: (performance.now() - t0) / 1000,
      };
      out.push(p);
      onPoint?.(p);
    }
  } finally {
    trainer.dispose();
  }
  return out;
}
