/**
 * The same HBV step equations written op by op in TensorFlow.js (autodiff
 * through every op, the way δMG runs it in PyTorch). Slow; it exists as the
 * independent check of the fused kernel and its adjoint (tests, benchmark).
 */
import { tf } from '../../core/tensor/index.js';
import type { HbvFlags } from './params.js';
import { NEARZERO, INIT_STATE, optionalSlots } from './kernel.js';

type T = tf.Tensor;

/**
 * Unrouted runoff Q [nt, nb] (mean over nm components, mm/d).
 * @param params static parameters [nb, np, nm]
 * @param dyn dynamic parameters [nt, nb, nd, nm] for the indices `dynIndex`
 * @param forcing P, T, PET each [nt, nb]
 * @param area basin area km² [nb] (leakage only)
 */
export function hbvReference(
  forcing: { P: T; T: T; PET: T },
  params: T,
  flags: HbvFlags,
  dyn?: T,
  dynIndex: number[] = [],
  area?: T,
): T {
  const [nb, np, nm] = params.shape;
  const nt = forcing.P.shape[0];
  const { iBETAET, iC, iRT, iAC } = optionalSlots(flags);
  // slices, not unstack: TF.js's unstack gradient fails when some pieces are unused
  const stat = Array.from({ length: np }, (_, i) => tf.reshape(tf.slice(params, [0, i, 0], [nb, 1, nm]), [nb, nm]));
  const nd: number = dyn ? dyn.shape[2]! : 0;
  const dynAt = (t: number, d: number) => tf.reshape(tf.slice(dyn!, [t, 0, d, 0], [1, nb, 1, nm]), [nb, nm]);
  const init = () => tf.fill([nb, nm], INIT_STATE);
  let SP = init(), MW = init(), SM = init(), SUZ = init(), SLZ = init();
  const zero = tf.zerosLike(SP);
  const nz = tf.fill([nb, nm], NEARZERO);
  const Ps = tf.unstack(forcing.P, 0), Ts = tf.unstack(forcing.T, 0), PETs = tf.unstack(forcing.PET, 0);
  const out: T[] = [];
  for (let t = 0; t < nt; t++) {
    const p = (i: number): T => {
      const d = dynIndex.indexOf(i);
      return d >= 0 && d < nd ? dynAt(t, d) : stat[i];
    };
    const [BETA, FC, K0, K1, K2, LP, PERC, UZL, TT, CFMAX, CFR, CWH] = Array.from({ length: 12 }, (_, i) => p(i));
    const P = tf.tile(tf.reshape(Ps[t], [nb, 1]), [1, nm]);
    const Tm = tf.tile(tf.reshape(Ts[t], [nb, 1]), [1, nm]);
    const PET = tf.tile(tf.reshape(PETs[t], [nb, 1]), [1, nm]);
    const isRain = tf.greaterEqual(Tm, TT);
    const rain = tf.where(isRain, P, zero);
    const snow = tf.where(isRain, zero, P);
    SP = tf.add(SP, snow);
    const melt = tf.minimum(tf.maximum(tf.mul(CFMAX, tf.sub(Tm, TT)), 0), SP);
    MW = tf.add(MW, melt);
    SP = tf.sub(SP, melt);
    const refr = tf.minimum(tf.maximum(tf.mul(tf.mul(CFR, CFMAX), tf.sub(TT, Tm)), 0), MW);
    SP = tf.add(SP, refr);
    MW = tf.sub(MW, refr);
    const tosoil = tf.maximum(tf.sub(MW, tf.mul(CWH, SP)), 0);
    MW = tf.sub(MW, tosoil);
    const sw = tf.minimum(tf.pow(tf.div(SM, FC), BETA), 1);
    const inflow = tf.add(rain, tosoil);
    const recharge = tf.mul(inflow, sw);
    SM = tf.sub(tf.add(SM, inflow), recharge);
    const excess = tf.maximum(tf.sub(SM, FC), 0);
    SM = tf.sub(SM, excess);
    let ef = tf.div(SM, tf.mul(LP, FC));
    if (iBETAET >= 0) ef = tf.pow(ef, p(iBETAET));
    ef = tf.minimum(ef, 1);
    const et = tf.minimum(tf.mul(PET, ef), SM);
    SM = tf.maximum(tf.sub(SM, et), nz);
    if (iC >= 0) {
      const cap = tf.minimum(tf.mul(tf.mul(p(iC), SLZ), tf.sub(1, tf.minimum(tf.div(SM, FC), 1))), SLZ);
      SM = tf.maximum(tf.add(SM, cap), nz);
      SLZ = tf.maximum(tf.sub(SLZ, cap), nz);
    }
    SUZ = tf.add(tf.add(SUZ, recharge), excess);
    const perc = tf.minimum(PERC, SUZ);
    SUZ = tf.sub(SUZ, perc);
    const q0 = tf.mul(K0, tf.maximum(tf.sub(SUZ, UZL), 0));
    SUZ = tf.sub(SUZ, q0);
    const q1 = tf.mul(K1, SUZ);
    SUZ = tf.sub(SUZ, q1);
    SLZ = tf.add(SLZ, perc);
    if (iRT >= 0) {
      const A = tf.tile(tf.reshape(area!, [nb, 1]), [1, nm]);
      const small = tf.less(A, 2500);
      const lin = tf.clipByValue(tf.div(tf.sub(A, p(iAC)), 1000), -1, 1);
      const ex = tf.exp(tf.clipByValue(tf.div(tf.sub(A, 2500), -50), -10, 0));
      const lf = tf.mul(tf.where(small, lin, ex), p(iRT));
      SLZ = tf.maximum(tf.add(SLZ, lf), 0);
    }
    const q2 = tf.mul(K2, SLZ);
    SLZ = tf.sub(SLZ, q2);
    out.push(tf.mean(tf.add(tf.add(q0, q1), q2), 1));
  }
  return tf.stack(out, 0);
}
