/**
 * The contract a process model fulfils to be driven by an NN inside
 * DifferentiableModel. HBV implements it (hbv/model.ts); a user's own model
 * only needs these members (see docs/hybrid.md).
 */
import type { tf } from '../core/tensor/index.js';

/** Daily forcings for nb basins over nt days, [nt, nb] C order. */
export interface Forcing {
  nt: number;
  nb: number;
  /** precipitation mm/d */
  P: Float32Array;
  /** mean air temperature °C */
  T: Float32Array;
  /** potential evapotranspiration mm/d */
  PET: Float32Array;
  /** basin area km² [nb] */
  area?: Float32Array;
}

/**
 * What the constructor of a user's process-model class receives when a config
 * names its file (`model.phy.model: ./my_model.ts`).
 */
export interface ProcessModelOptions {
  /** Parallel components per basin (`model.phy.nmul`). */
  nmul: number;
  /** Parameters the config wants time-varying (`model.phy.dynamic_params`). */
  dynamicParams: string[];
  /** Free-form settings from `model.phy.options`. */
  options: Record<string, unknown>;
}

export interface ProcessModel<S = unknown> {
  readonly name: string;
  /** Learnable parameter names in the order of the parameter axis. */
  readonly paramNames: string[];
  /** Physical bounds of each parameter. */
  readonly bounds: Record<string, { lo: number; hi: number; unit: string }>;
  /** Names of the parameters that vary in time. */
  readonly dynamic: string[];
  /**
   * Differentiable run: unrouted runoff Q [nt, nb] mm/d from static
   * parameters [nb, np, nm] and dynamic ones [nt, nb, nd, nm] (physical units),
   * starting from `init` (default initial state). `onState` receives the end state.
   */
  run(f: Forcing, params: tf.Tensor3D, dyn: tf.Tensor4D | undefined, init?: S, onState?: (s: S) => void): tf.Tensor2D;
  /** Gradient-free run returning only the end state (warm-up). Arrays as in `run`. */
  spinUp(f: Forcing, params: Float32Array, nm: number, dyn: Float32Array | undefined): S;
}
