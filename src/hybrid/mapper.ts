/**
 * NN outputs → physical parameters (δMG convention): sigmoid, then linear
 * scaling lo + s·(hi − lo) into each parameter's bounds. Channel layout is
 * parameter-major (i_param·nm + m). Static parameters come from the last time
 * step of a sequence output (or from a per-basin output), dynamic ones from
 * every step; the two routing parameters come last.
 */
import { tf } from '../core/tensor/index.js';
import { NunatakError } from '../core/errors.js';
import { ROUTING_BOUNDS } from './hbv/params.js';
import type { NnOutput } from './nn/types.js';
import { mapSeqFused } from './mapper-seq-op.js';

export interface MapperSpec {
  names: string[];
  bounds: Record<string, { lo: number; hi: number }>;
  dynIndex: number[];
  nm: number;
  routing: boolean;
}

export interface MappedParams {
  /** Static parameters [nb, np, nm] (the dynamic slots hold their last-step values). */
  params: tf.Tensor3D;
  /** Static parameters from step `warmStep − 1` (δMG's warm-up parameters). */
  warmParams?: tf.Tensor3D;
  /** Dynamic parameters [nt, nb, nd, nm]. */
  dyn?: tf.Tensor4D;
  /** Routing [nb, 2]: a (−) and b (d), descaled. */
  rout?: tf.Tensor2D;
}

/** Number of raw NN outputs a spec needs: per-step `seq` and per-basin `stat` channels. */
export function outputSizes(spec: MapperSpec, kind: 'seq' | 'stat' | 'both'): { seq: number; stat: number } {
  const np = spec.names.length, nd = spec.dynIndex.length, nr = spec.routing ? 2 : 0;
  if (kind === 'seq') return { seq: np * spec.nm + nr, stat: 0 };
  if (kind === 'stat') return { seq: 0, stat: np * spec.nm + nr };
  return { seq: nd * spec.nm, stat: (np - nd) * spec.nm + nr };
}

function descale(s: tf.Tensor, names: string[], bounds: MapperSpec['bounds'], axis: number): tf.Tensor {
  const shape = s.shape.map((_, i) => (i === axis ? names.length : 1));
  const lo = tf.tensor(names.map((n) => bounds[n].lo), shape);
  const span = tf.tensor(names.map((n) => bounds[n].hi - bounds[n].lo), shape);
  return tf.add(lo, tf.mul(s, span));
}

function routingFrom(raw: tf.Tensor2D): tf.Tensor2D {
  return descale(tf.sigmoid(raw), ['rout_a', 'rout_b'], ROUTING_BOUNDS, 1) as tf.Tensor2D;
}

/**
 * @param warmStep > 0: also give `warmParams` from step warmStep − 1
 * @param impl 'fused' (default): a per-step output is mapped by one custom-gradient
 *   op touching only the used entries; 'ops': TF.js ops throughout (the reference)
 */
export function mapParameters(out: NnOutput, spec: MapperSpec, warmStep = 0, impl: 'fused' | 'ops' = 'fused'): MappedParams {
  const { names, bounds, dynIndex, nm } = spec;
  const np = names.length, nd = dynIndex.length;
  const nr = spec.routing ? 2 : 0;
  const kind = out.seq && out.stat ? 'both' : out.seq ? 'seq' : 'stat';
  const want = outputSizes(spec, kind);
  if ((out.seq && out.seq.shape[2] !== want.seq) || (out.stat && out.stat.shape[1] !== want.stat)) {
    throw new NunatakError('SHAPE', `NN gives ${out.seq?.shape[2] ?? 0} per-step and ${out.stat?.shape[1] ?? 0} per-basin outputs, the mapper needs ${want.seq} and ${want.stat}`, {
      hint: `${np} parameters × nmul ${nm}${nr ? ' + 2 routing' : ''}; ${nd} dynamic`,
    });
  }
  const dynNames = dynIndex.map((k) => names[k]);
  if (kind === 'seq' && impl === 'fused') return mapSeqFused(out.seq!, spec, warmStep);
  if (kind === 'seq') {
    const seq = out.seq!;
    const [nt, nb] = seq.shape;
    const s = tf.sigmoid(tf.slice(seq, [0, 0, 0], [nt, nb, np * nm])).reshape([nt, nb, np, nm]);
    const at = (t: number) => descale(tf.slice(s, [t, 0, 0, 0], [1, nb, np, nm]).reshape([nb, np, nm]), names, bounds, 1) as tf.Tensor3D;
    const res: MappedParams = { params: at(nt - 1) };
    if (warmStep > 0) res.warmParams = at(warmStep - 1);
    // slices + concat rather than gather: gather's gradient needs UnsortedSegmentSum, missing on wasm
    if (nd > 0) res.dyn = descale(tf.concat(dynIndex.map((k) => tf.slice(s, [0, 0, k, 0], [nt, nb, 1, nm])), 2), dynNames, bounds, 2) as tf.Tensor4D;
    if (nr) res.rout = routingFrom(tf.slice(seq, [nt - 1, 0, np * nm], [1, nb, 2]).reshape([nb, 2]));
    return res;
  }
  const stat = out.stat!;
  const nb = stat.shape[0];
  if (kind === 'stat') {
    if (nd > 0) throw new NunatakError('CONFIG', `dynamic parameters (${dynNames.join(', ')}) need a sequence NN (lstm or lstm_mlp), not an MLP`);
    const p = descale(tf.sigmoid(tf.slice(stat, [0, 0], [nb, np * nm])).reshape([nb, np, nm]), names, bounds, 1) as tf.Tensor3D;
    return { params: p, warmParams: warmStep > 0 ? p : undefined, rout: nr ? routingFrom(tf.slice(stat, [0, np * nm], [nb, 2])) : undefined };
  }
  // both: LSTM → dynamic, MLP → static + routing
  const seq = out.seq!;
  const nt = seq.shape[0];
  const statNames = names.filter((_, k) => !dynIndex.includes(k));
  const ps = descale(tf.sigmoid(tf.slice(stat, [0, 0], [nb, statNames.length * nm])).reshape([nb, statNames.length, nm]), statNames, bounds, 1);
  const dyn = descale(tf.sigmoid(seq).reshape([nt, nb, nd, nm]), dynNames, bounds, 2) as tf.Tensor4D;
  const full = (t: number) => {
    const pieces: tf.Tensor[] = [];
    let j = 0;
    for (let k = 0; k < np; k++) {
      const d = dynIndex.indexOf(k);
      pieces.push(d >= 0 ? tf.slice(dyn, [t, 0, d, 0], [1, nb, 1, nm]).reshape([nb, 1, nm]) : tf.slice(ps, [0, j++, 0], [nb, 1, nm]));
    }
    return tf.concat(pieces, 1) as tf.Tensor3D;
  };
  return {
    params: full(nt - 1),
    warmParams: warmStep > 0 ? full(warmStep - 1) : undefined,
    dyn,
    rout: nr ? routingFrom(tf.slice(stat, [0, statNames.length * nm], [nb, 2])) : undefined,
  };
}
