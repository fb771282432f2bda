/**
 * DifferentiableModel: NN → parameter mapper → process model → unit-hydrograph
 * routing, trained end to end like any network (all gradients flow through
 * TF.js; the process model's own gradient is its hand-written adjoint).
 */
import { tf } from '../core/tensor/index.js';
import { NunatakError } from '../core/errors.js';
import { mapParameters, type MapperSpec, type MappedParams } from './mapper.js';
import type { Parameteriser } from './nn/types.js';
import type { Forcing, ProcessModel } from './process.js';
import { gammaUhWeights, uhConv } from './routing.js';

export interface ModelOptions {
  /** Parallel process-model components per basin. */
  nmul: number;
  /** Warm-up days at the start of every window (no loss on them). */
  warmUp: number;
  /** true: spin the stores up without gradients over the warm-up (δHBV 1.0); false: run with gradients and cut. */
  warmUpStates: boolean;
  /** Route with the gamma unit hydrograph. */
  routing: boolean;
}

/** One batch: normalised NN inputs and raw forcings of nb basins × nt days. */
export interface Batch {
  /** normalised forcings [nt, nb, nf] */
  x: tf.Tensor3D;
  /** normalised attributes [nb, na] */
  c: tf.Tensor2D;
  forcing: Forcing;
}

export interface ModelOutput {
  /** Streamflow [nt − warmUp, nb] mm/d (routed when routing is on). */
  Q: tf.Tensor2D;
  /** The mapped physical parameters. */
  mapped: MappedParams;
}

function sliceForcing(f: Forcing, t0: number, t1: number): Forcing {
  const nb = f.nb;
  return { nt: t1 - t0, nb, P: f.P.subarray(t0 * nb, t1 * nb), T: f.T.subarray(t0 * nb, t1 * nb), PET: f.PET.subarray(t0 * nb, t1 * nb), area: f.area };
}

export class DifferentiableModel<S = unknown> {
  readonly spec: MapperSpec;
  constructor(readonly nn: Parameteriser, readonly phy: ProcessModel<S>, readonly opts: ModelOptions) {
    const names = phy.paramNames;
    this.spec = {
      names,
      bounds: phy.bounds,
      dynIndex: phy.dynamic.map((d) => names.indexOf(d)),
      nm: opts.nmul,
      routing: opts.routing,
    };
    if (nn.kind === 'lstm_mlp' && phy.dynamic.length === 0) {
      throw new NunatakError('CONFIG', 'nn model lstm_mlp gives the dynamic parameters from its LSTM, but no dynamic parameters are configured', {
        hint: 'list some in dynamic_params (e.g. [BETA, BETAET]) or use nn model lstm',
      });
    }
  }

  /** All trainable weights (NN only; the process model has none of its own). */
  get variables(): Map<string, tf.Variable> {
    return this.nn.variables;
  }

  reseed(seed: number): void {
    this.nn.reseed?.(seed);
  }

  forward(b: Batch, training: boolean, init?: S): ModelOutput {
    const out = this.nn.forward(b.x, b.c, training);
    const mapped = mapParameters(out, this.spec, this.opts.warmUpStates ? this.opts.warmUp : 0);
    return { Q: runMapped(this.phy, this.spec, this.opts, b, mapped, init), mapped };
  }
}

/**
 * The process model and routing driven by already-mapped physical parameters:
 * warm-up (spun up without gradients, or run and cut), run, unit-hydrograph
 * routing. Shared by the NN-driven model and the fixed-parameter one.
 */
export function runMapped<S>(phy: ProcessModel<S>, spec: MapperSpec, opts: ModelOptions, b: Batch, mapped: MappedParams, init?: S): tf.Tensor2D {
  const W = opts.warmUp;
  const nt = b.forcing.nt;
  if (W >= nt) throw new NunatakError('CONFIG', `warm_up (${W} d) must be shorter than the window (${nt} d)`);
  const nd = spec.dynIndex.length;
  let Q: tf.Tensor2D;
  let cut = 0;
  if (opts.warmUpStates && W > 0 && init === undefined) {
    const [, nb, , nm] = mapped.dyn?.shape ?? [0, b.forcing.nb, 0, opts.nmul];
    const dynWarm = nd > 0 ? (tf.slice(mapped.dyn!, [0, 0, 0, 0], [W, nb, nd, nm]).dataSync() as Float32Array) : undefined;
    const state = phy.spinUp(sliceForcing(b.forcing, 0, W), (mapped.warmParams ?? mapped.params).dataSync() as Float32Array, opts.nmul, dynWarm);
    const dynMain = nd > 0 ? (tf.slice(mapped.dyn!, [W, 0, 0, 0], [nt - W, nb, nd, nm]) as tf.Tensor4D) : undefined;
    Q = phy.run(sliceForcing(b.forcing, W, nt), mapped.params, dynMain, state);
  } else {
    // whole window with gradients; the warm-up is cut after routing
    Q = phy.run(b.forcing, mapped.params, mapped.dyn, init);
    cut = W;
  }
  if (opts.routing) {
    const [a, bb] = tf.split(mapped.rout!, 2, 1);
    const w = gammaUhWeights(a.reshape([-1]) as tf.Tensor1D, bb.reshape([-1]) as tf.Tensor1D);
    Q = uhConv(Q, w);
  }
  if (cut > 0) Q = tf.slice(Q, [cut, 0], [nt - cut, b.forcing.nb]);
  return Q;
}
