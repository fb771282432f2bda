/**
 * The mapper for a per-step NN output as one custom-gradient op: sigmoid and
 * bound scaling are computed only for the entries that are used — every step
 * of the dynamic parameters' channels, the last step of all parameters and
 * routing — instead of sigmoid over the whole [nt, nb, np·nm + 2] output and
 * slices whose gradients are full-size pads. Same maths as the TF.js ops in
 * mapper.ts (tested against them).
 */
import { tf } from '../core/tensor/index.js';
import { ROUTING_BOUNDS } from './hbv/params.js';
import type { MappedParams, MapperSpec } from './mapper.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** Flat indices into seq [nt, nb, ny] and the bounds of every packed output entry. */
interface Plan {
  src: Int32Array;
  lo: Float32Array;
  span: Float32Array;
}

type Planned = { plan: Plan; nP: number; nD: number; nR: number };
/** The last plan per spec object (a model maps the same shapes every iteration). */
const plans = new WeakMap<MapperSpec, { key: string; p: Planned }>();

function plan(spec: MapperSpec, nt: number, nb: number, ny: number): Planned {
  const key = `${nt},${nb},${ny},${spec.nm},${spec.routing},${spec.names.join()},${spec.dynIndex.join()},${spec.names.map((n) => `${spec.bounds[n].lo}:${spec.bounds[n].hi}`).join()}`;
  const hit = plans.get(spec);
  if (hit?.key === key) return hit.p;
  const p = makePlan(spec, nt, nb, ny);
  plans.set(spec, { key, p });
  return p;
}

function makePlan(spec: MapperSpec, nt: number, nb: number, ny: number): Planned {
  const { names, bounds, dynIndex, nm } = spec;
  const np = names.length, nd = dynIndex.length, nr = spec.routing ? 2 : 0;
  const nP = nb * np * nm, nD = nt * nb * nd * nm, nR = nb * nr;
  const src = new Int32Array(nP + nD + nR), lo = new Float32Array(src.length), span = new Float32Array(src.length);
  let i = 0;
  const put = (s: number, b: { lo: number; hi: number }) => {
    src[i] = s;
    lo[i] = b.lo;
    span[i++] = b.hi - b.lo;
  };
  const last = (nt - 1) * nb * ny;
  // params [nb, np, nm] from the last step
  for (let b = 0; b < nb; b++) for (let k = 0; k < np; k++) for (let m = 0; m < nm; m++) put(last + b * ny + k * nm + m, bounds[names[k]]);
  // dyn [nt, nb, nd, nm]
  for (let t = 0; t < nt; t++) for (let b = 0; b < nb; b++) for (let d = 0; d < nd; d++) for (let m = 0; m < nm; m++) put((t * nb + b) * ny + dynIndex[d] * nm + m, bounds[names[dynIndex[d]]]);
  // routing [nb, 2] from the last step
  const rb = [ROUTING_BOUNDS.rout_a, ROUTING_BOUNDS.rout_b];
  for (let b = 0; b < nb; b++) for (let r = 0; r < nr; r++) put(last + b * ny + np * nm + r, rb[r]);
  return { plan: { src, lo, span }, nP, nD, nR };
}

/** Mapped parameters from seq [nt, nb, np·nm (+2)]; `warmStep` > 0 adds warmParams (no gradient) from step warmStep − 1. */
export function mapSeqFused(seq: tf.Tensor3D, spec: MapperSpec, warmStep: number): MappedParams {
  const [nt, nb, ny] = seq.shape;
  const { names, nm } = spec;
  const np = names.length, nd = spec.dynIndex.length;
  const { plan: p, nP, nD, nR } = plan(spec, nt, nb, ny);
  let S: Float32Array | undefined;
  const f = tf.customGrad(((s: tf.Tensor3D) => {
    S = s.dataSync() as Float32Array;
    const n = p.src.length;
    const out = new Float32Array(n), ds = new Float32Array(n); // ds: d out / d raw
    for (let i = 0; i < n; i++) {
      const v = sig(S[p.src[i]]);
      out[i] = p.lo[i] + v * p.span[i];
      ds[i] = p.span[i] * v * (1 - v);
    }
    return {
      value: tf.tensor1d(out),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dS = new Float32Array(nt * nb * ny);
        for (let i = 0; i < n; i++) dS[p.src[i]] += g[i] * ds[i];
        return [tf.tensor3d(dS, [nt, nb, ny])];
      },
    };
  }) as any);
  const packed = f(seq) as tf.Tensor1D;
  const res: MappedParams = { params: tf.slice(packed, [0], [nP]).reshape([nb, np, nm]) as tf.Tensor3D };
  if (nd > 0) res.dyn = tf.slice(packed, [nP], [nD]).reshape([nt, nb, nd, nm]) as tf.Tensor4D;
  if (nR > 0) res.rout = tf.slice(packed, [nP + nD], [nR]).reshape([nb, 2]) as tf.Tensor2D;
  if (warmStep > 0) {
    // δMG's warm-up parameters: no gradient (the spin-up runs without one)
    const w = new Float32Array(nP), o = (warmStep - 1) * nb * ny;
    for (let b = 0; b < nb; b++)
      for (let k = 0; k < np; k++) {
        const { lo, hi } = spec.bounds[names[k]];
        for (let m = 0; m < nm; m++) w[(b * np + k) * nm + m] = lo + sig(S![o + b * ny + k * nm + m]) * (hi - lo);
      }
    res.warmParams = tf.tensor3d(w, [nb, np, nm]);
  }
  return res;
}
