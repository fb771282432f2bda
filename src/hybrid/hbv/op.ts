/**
 * The fused HBV kernel as a TF.js op with a custom gradient: the forward pass
 * runs hbvForward on the CPU-side arrays and keeps its tape; the gradient
 * runs hbvAdjoint. Forcings and initial states are constants (no gradient).
 */
import { tf } from '../../core/tensor/index.js';
import type { HbvFlags } from './params.js';
import { hbvForward, hbvAdjoint, type HbvOutput, type HbvState } from './kernel.js';

export interface HbvOpInputs {
  /** P, T, PET as [nt, nb] arrays (mm/d, °C, mm/d). */
  P: ArrayLike<number>;
  T: ArrayLike<number>;
  PET: ArrayLike<number>;
  nt: number;
  nb: number;
  flags: HbvFlags;
  dynIndex?: number[];
  area?: ArrayLike<number>;
  init?: HbvState;
  /** Receives the full forward output (fluxes, SWE, final stores) when given. */
  onForward?: (out: HbvOutput) => void;
}

/**
 * Unrouted runoff Q [nt, nb] (mm/d, mean over components) from static
 * parameters [nb, np, nm] and, when `dynIndex` is non-empty, dynamic
 * parameters [nt, nb, nd, nm], in physical units. Differentiable in both.
 */
export function hbvOp(inp: HbvOpInputs, params: tf.Tensor3D, dyn?: tf.Tensor4D): tf.Tensor2D {
  const [nb, np, nm] = params.shape;
  const { nt } = inp;
  const dynIndex = inp.dynIndex ?? [];
  const problem = (pv: Float32Array, dv?: Float32Array) => ({
    nt, nb, nm, np, P: inp.P, T: inp.T, PET: inp.PET, params: pv, dynIndex, dyn: dv, area: inp.area, init: inp.init,
  });
  if (dynIndex.length > 0 && !dyn) throw new Error('hbvOp: dynamic parameters missing');
  const run = (pt: tf.Tensor, dt: tf.Tensor | undefined) => {
    const pv = pt.dataSync() as Float32Array;
    const dv = dt ? (dt.dataSync() as Float32Array) : undefined;
    const pr = problem(pv, dv);
    const out = hbvForward(pr, inp.flags, { tape: true });
    inp.onForward?.(out);
    const value = tf.tensor2d(Float32Array.from(out.Q), [nt, nb]);
    const tape = out.tape!;
    const grad = (dy: tf.Tensor) => {
      const g = hbvAdjoint(pr, inp.flags, tape, dy.dataSync() as Float32Array);
      return { gp: tf.tensor3d(Float32Array.from(g.params), [nb, np, nm]), gd: Float32Array.from(g.dyn) };
    };
    return { value, grad };
  };
  if (dyn) {
    const f = tf.customGrad(((pt: tf.Tensor, dt: tf.Tensor) => {
      const { value, grad } = run(pt, dt);
      return {
        value,
        gradFunc: (dy: tf.Tensor) => {
          const g = grad(dy);
          return [g.gp, tf.tensor(g.gd, dt.shape)];
        },
      };
    }) as any);
    return f(params, dyn) as tf.Tensor2D;
  }
  const f = tf.customGrad(((pt: tf.Tensor) => {
    const { value, grad } = run(pt, undefined);
    return { value, gradFunc: (dy: tf.Tensor) => [grad(dy).gp] };
  }) as any);
  return f(params) as tf.Tensor2D;
}
