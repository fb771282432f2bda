// An independent op-by-op TF.js version of the Blatter–Pattyn energy, written
// straight from IGM 2.x energy_iceflow.py (_compute_gradient_stag,
// _compute_strainrate_Glen_tf, _stag4, _stag8, _iceflow_energy), with the
// nunatak extensions (periodic: wrap-pad one row/column so the same formulas
// give ny×nx corners; slope; no_slip) applied to it. TF.js autodiff of this
// function is the reference for the hand-written adjoint.
import { tf } from '../../src/core/tensor/index.ts';
import type { BPGeometry, BPSettings } from '../../src/sim/physics/bp/index.ts';

type T = tf.Tensor;

/** x[..., a:b] along axis `ax` (negative ends count from the end). */
function sl(x: T, ax: number, a: number, b: number): T {
  const n = x.shape[ax]!;
  const begin = x.shape.map(() => 0);
  const size = x.shape.slice();
  const lo = a < 0 ? n + a : a;
  const hi = b <= 0 ? n + b : b;
  begin[ax] = lo;
  size[ax] = hi - lo;
  return tf.slice(x, begin, size);
}

/** Append the first row and column at the end (periodic wrap of the last two axes). */
function wrap(x: T): T {
  const r = x.rank;
  const y = tf.concat([x, sl(x, r - 2, 0, 1)], r - 2);
  return tf.concat([y, sl(y, r - 1, 0, 1)], r - 1);
}

/** IGM _stag4 on the last two axes. */
function stag4(B: T): T {
  const r = B.rank;
  const a = sl(sl(B, r - 2, 1, 0), r - 1, 1, 0), b = sl(sl(B, r - 2, 1, 0), r - 1, 0, -1);
  const c = sl(sl(B, r - 2, 0, -1), r - 1, 1, 0), d = sl(sl(B, r - 2, 0, -1), r - 1, 0, -1);
  return tf.div(tf.addN([a, b, c, d]), 4);
}

/** IGM _compute_gradient_stag for uniform spacing dx, on the last two axes of a rank-2 field. */
function gradStag(s: T, dx: number): [T, T] {
  const E = tf.div(tf.sub(sl(s, 1, 1, 0), sl(s, 1, 0, -1)), dx);
  const gx = tf.mul(0.5, tf.add(sl(E, 0, 1, 0), sl(E, 0, 0, -1)));
  const EE = tf.div(tf.sub(sl(s, 0, 1, 0), sl(s, 0, 0, -1)), dx);
  const gy = tf.mul(0.5, tf.add(sl(EE, 1, 1, 0), sl(EE, 1, 0, -1)));
  return [gx, gy];
}

/**
 * J(U, V) for U, V [Nz, ny, nx] (float32 tensors, imposed entries already 0):
 * the mean over corners of C_shear + C_slid + C_grav.
 */
export function bpEnergyOpByOp(U0: T, V0: T, g: BPGeometry, s: BPSettings): tf.Scalar {
  return tf.tidy(() => {
    const { nx, ny, dx } = g;
    const field = (v: number | Float32Array) => (typeof v === 'number' ? tf.fill([ny, nx], v) : tf.tensor2d(v, [ny, nx]));
    let thk: T = tf.tensor2d(g.thk, [ny, nx]);
    let usurf: T = tf.tensor2d(g.usurf, [ny, nx]);
    let A = field(g.arrhenius);
    let C = field(g.slidingco);
    let U = U0, V = V0;
    if (s.periodic) [thk, usurf, A, C, U, V] = [thk, usurf, A, C, U, V].map(wrap);
    const Nz = s.Nz;
    const COND = tf.expandDims(tf.cast(tf.equal(stag4(tf.cast(tf.greater(thk, 0), 'float32')), 1), 'bool'), 0);

    // vertical discretisation
    const temd: number[] = [];
    const lev = (t: number) => (t / s.vert_spacing) * (1 + (s.vert_spacing - 1) * t);
    for (let k = 0; k < Nz - 1; k++) temd.push(lev((k + 1) / (Nz - 1)) - lev(k / (Nz - 1)));
    const thk4 = stag4(thk);
    const dz = tf.stack(temd.map((z) => tf.mul(thk4, z)), 0);

    const B = tf.mul(2, tf.pow(A, -1 / s.exp_glen));
    const p = 1 + 1 / s.exp_glen;
    const sw = 1 + 1 / s.exp_weertman;
    const sx0 = s.periodic && g.slope ? g.slope.x : 0, sy0 = s.periodic && g.slope ? g.slope.y : 0;
    let [bx, by] = gradStag(tf.sub(usurf, thk), dx);
    let [sx, sy] = gradStag(usurf, dx);
    [bx, by, sx, sy] = [tf.add(bx, sx0), tf.add(by, sy0), tf.add(sx, sx0), tf.add(sy, sy0)];

    // strain rates (IGM _compute_strainrate_Glen_tf)
    const dX = (W: T) => tf.div(tf.sub(sl(W, 2, 1, 0), sl(W, 2, 0, -1)), dx);
    const dY = (W: T) => tf.div(tf.sub(sl(W, 1, 1, 0), sl(W, 1, 0, -1)), dx);
    const avgY = (W: T) => tf.div(tf.add(sl(W, 1, 0, -1), sl(W, 1, 1, 0)), 2);
    const avgX = (W: T) => tf.div(tf.add(sl(W, 2, 0, -1), sl(W, 2, 1, 0)), 2);
    const avgZ = (W: T) => tf.div(tf.add(sl(W, 0, 0, -1), sl(W, 0, 1, 0)), 2);
    let dUdx = avgZ(avgY(dX(U))), dVdx = avgZ(avgY(dX(V)));
    let dUdy = avgZ(avgX(dY(U))), dVdy = avgZ(avgX(dY(V)));
    const Um = stag4(U), Vm = stag4(V);
    const dd = tf.maximum(dz, s.thr_ice_thk);
    let dUdz = tf.div(tf.sub(sl(Um, 0, 1, 0), sl(Um, 0, 0, -1)), dd);
    let dVdz = tf.div(tf.sub(sl(Vm, 0, 1, 0), sl(Vm, 0, 0, -1)), dd);
    if (!s.no_slip) {
      const slc = tf.expandDims(stag4(C), 0);
      dUdz = tf.where(tf.greater(slc, 0), dUdz, tf.mul(0.01, dUdz));
      dVdz = tf.where(tf.greater(slc, 0), dVdz, tf.mul(0.01, dVdz));
    }
    dUdx = tf.sub(dUdx, tf.mul(dUdz, bx));
    dUdy = tf.sub(dUdy, tf.mul(dUdz, by));
    dVdx = tf.sub(dVdx, tf.mul(dVdz, bx));
    dVdy = tf.sub(dVdy, tf.mul(dVdz, by));
    const Exx = dUdx, Eyy = dVdy, Ezz = tf.neg(tf.add(dUdx, dVdy));
    const Exy = tf.add(tf.mul(0.5, dVdx), tf.mul(0.5, dUdy));
    const Exz = tf.mul(0.5, dUdz), Eyz = tf.mul(0.5, dVdz);
    const sq = (x: T) => tf.square(x);
    const srx = tf.mul(0.5, tf.addN([sq(Exx), sq(Exy), sq(Exy), sq(Eyy), sq(Ezz)]));
    const srz = tf.mul(0.5, tf.addN([sq(Exz), sq(Eyz), sq(Exz), sq(Eyz)]));
    const zeros = tf.zerosLike(srx);
    const sr = tf.where(tf.broadcastTo(COND, srx.shape), tf.add(srx, srz), zeros);
    const cond = tf.broadcastTo(COND, srx.shape);
    const srcapped = tf.where(cond, tf.clipByValue(sr, s.min_sr ** 2, Math.min(s.max_sr ** 2, 3e38)), zeros);

    const Cshear = tf.div(tf.mul(stag4(B), tf.sum(tf.mul(tf.mul(dz, tf.pow(tf.add(srcapped, s.regu_glen ** 2), (p - 2) / 2)), sr), 0)), p);

    let Cslid: T = tf.zerosLike(thk4);
    if (!s.no_slip) {
      const Ub = sl(U, 0, 0, 1).squeeze([0]), Vb = sl(V, 0, 0, 1).squeeze([0]);
      const N = tf.addN([
        stag4(tf.add(sq(Ub), sq(Vb))),
        tf.fill(thk4.shape as [number, number], s.regu_weertman ** 2),
        sq(tf.add(tf.mul(stag4(Ub), bx), tf.mul(stag4(Vb), by))),
      ]);
      Cslid = tf.div(tf.mul(stag4(C), tf.pow(N, sw / 2)), sw);
    }

    const stag8 = (W: T) => avgZ(stag4(W));
    const uds = tf.where(cond, tf.add(tf.mul(stag8(U), sx), tf.mul(stag8(V), sy)), zeros);
    const Cgrav = tf.mul(s.ice_density * s.gravity_cst * 1e-6, tf.sum(tf.mul(dz, uds), 0));
    return tf.mean(tf.addN([Cshear, Cslid, Cgrav])) as tf.Scalar;
  });
}
