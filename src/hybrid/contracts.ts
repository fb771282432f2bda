/**
 * Checks that a user's process model, NN or loss fits its contract before a
 * run: the members are there with the right kinds, and one tiny call
 * (3 days × 1 basin) returns tensors of the right shape. Every misfit is one
 * PLUGIN error naming the file and what is missing or wrong.
 */
import { tf } from '../core/tensor/index.js';
import { NunatakError } from '../core/errors.js';
import type { Parameteriser, ParameteriserOptions } from './nn/types.js';
import type { Forcing, ProcessModel } from './process.js';
import type { LossFunction } from './train/losses.js';

const RUN_SIG = 'run(forcing, params[nb,np,nm], dyn[nt,nb,nd,nm] | undefined, init?) → Q tf.Tensor2D [nt, nb]';
const SPINUP_SIG = 'spinUp(forcing, params Float32Array, nm, dyn) → state';
const FORWARD_SIG = 'forward(x[nt,nb,nx], c[nb,na], training) → { seq?: [nt,nb,ny], stat?: [nb,ny] }';
const LOSS_SIG = '(pred [nt,nb], obs [nt,nb], mask [nt,nb], ctx {sigma}) => a one-element tensor (tf.Scalar)';

function fail(where: string, what: string, hint: string, cause?: unknown): never {
  throw new NunatakError('PLUGIN', `${where}: ${what}`, { hint, cause });
}

function shapeOf(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tensor [${v.shape.join(', ')}]`;
  if (v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/** Calls `f`; a throw becomes a PLUGIN error saying which call on which test input failed. */
function tryCall<T>(where: string, call: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NunatakError && e.code === 'PLUGIN') throw e;
    return fail(where, `${call} threw on a 3-day, 1-basin test input: ${(e as Error)?.message ?? String(e)}`, 'fix the error in that file (the stack trace of the cause names the line)', e);
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The user's process model, checked: `name`, `paramNames`, `bounds` (lo < hi
 * for each parameter), `dynamic` (a subset of the names, holding every
 * configured dynamic parameter), `run` and `spinUp`; then a 3-day test run.
 */
export function checkProcessModel(m: unknown, where: string, dynamicParams: string[]): ProcessModel {
  const hint = 'a process model has name, paramNames, bounds {name: {lo, hi, unit}}, dynamic, run() and spinUp() (docs/hybrid.md, ProcessModel in nunatak/hybrid)';
  if (typeof m !== 'object' || m === null) fail(where, `expected a ProcessModel object, got ${shapeOf(m)}`, hint);
  const o = m as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof o.name !== 'string') problems.push('`name` (a string)');
  const names = isStringArray(o.paramNames) && o.paramNames.length > 0 ? o.paramNames : undefined;
  if (!names) problems.push('`paramNames` (a non-empty array of parameter names)');
  const bounds = (typeof o.bounds === 'object' && o.bounds !== null ? o.bounds : undefined) as Record<string, { lo?: unknown; hi?: unknown }> | undefined;
  if (!bounds) problems.push('`bounds` ({name: {lo, hi, unit}})');
  else for (const n of names ?? []) {
    const b = bounds[n];
    if (!b || typeof b.lo !== 'number' || typeof b.hi !== 'number' || !(b.lo < b.hi)) problems.push(`bounds.${n} as {lo, hi} with lo < hi (got ${JSON.stringify(b)})`);
  }
  if (!isStringArray(o.dynamic)) problems.push('`dynamic` (an array of parameter names; [] for none)');
  if (typeof o.run !== 'function') problems.push(`\`${RUN_SIG}\``);
  if (typeof o.spinUp !== 'function') problems.push(`\`${SPINUP_SIG}\``);
  if (problems.length > 0) fail(where, `not a ProcessModel: missing or wrong ${problems.join('; ')}`, hint);
  const pm = m as ProcessModel;
  const unknownDyn = pm.dynamic.filter((d) => !pm.paramNames.includes(d));
  if (unknownDyn.length) fail(where, `dynamic names ${unknownDyn.join(', ')}, which are not in paramNames (${pm.paramNames.join(', ')})`, hint);
  const notDyn = dynamicParams.filter((d) => !pm.dynamic.includes(d));
  if (notDyn.length) {
    fail(where, `model.phy.dynamic_params lists ${notDyn.join(', ')}, but the model's \`dynamic\` is [${pm.dynamic.join(', ')}]`, 'the constructor receives {dynamicParams} and the model must report them in `dynamic`; or remove them from dynamic_params');
  }
  dryRun(pm, where);
  return pm;
}

function dryRun(pm: ProcessModel, where: string): void {
  const nt = 3, np = pm.paramNames.length, nd = pm.dynamic.length;
  const f: Forcing = { nt, nb: 1, P: Float32Array.of(5, 0, 1), T: Float32Array.of(5, 5, 5), PET: Float32Array.of(1, 1, 1), area: Float32Array.of(100) };
  const mid = Float32Array.from(pm.paramNames, (n) => (pm.bounds[n].lo + pm.bounds[n].hi) / 2);
  const dynMid = Float32Array.from({ length: nt * nd }, (_, i) => mid[pm.paramNames.indexOf(pm.dynamic[i % nd])]);
  const state = tryCall(where, 'spinUp()', () => pm.spinUp(f, mid, 1, nd ? dynMid : undefined));
  tf.tidy(() => {
    const params = tf.tensor3d(mid, [1, np, 1]);
    const dyn = nd ? tf.tensor4d(dynMid, [nt, 1, nd, 1]) : undefined;
    for (const init of [undefined, state]) {
      const q = tryCall(where, init === undefined ? 'run()' : 'run() from the state spinUp() returned', () => pm.run(f, params, dyn, init));
      if (!(q instanceof tf.Tensor) || q.shape.join() !== `${nt},1`) {
        fail(where, `run() returned ${shapeOf(q)} for 3 days × 1 basin; expected Q [3, 1]`, `${RUN_SIG}; import tf from 'nunatak/core' so tensors come from the running nunatak`);
      }
    }
  });
}

/** The user's NN, checked: `kind`, `variables` (a Map of tf.Variable), `forward`; then a test forward sized by `o.ny`. */
export function checkParameteriser(nn: unknown, where: string, o: ParameteriserOptions): Parameteriser {
  const hint = `an NN has kind (a string), variables (Map<string, tf.Variable>) and ${FORWARD_SIG} (docs/hybrid.md, Parameteriser in nunatak/hybrid)`;
  if (typeof nn !== 'object' || nn === null) fail(where, `expected a Parameteriser object, got ${shapeOf(nn)}`, hint);
  const p = nn as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof p.kind !== 'string') problems.push('`kind` (a string)');
  if (!(p.variables instanceof Map) || ![...p.variables.values()].every((v) => v instanceof tf.Variable)) problems.push('`variables` (a Map of name → tf.Variable)');
  if (typeof p.forward !== 'function') problems.push(`\`${FORWARD_SIG}\``);
  if (problems.length > 0) fail(where, `not a Parameteriser: missing or wrong ${problems.join('; ')}`, hint);
  const pz = nn as Parameteriser;
  tf.tidy(() => {
    const out = tryCall(where, 'forward()', () => pz.forward(tf.zeros([3, 1, o.nx]) as tf.Tensor3D, tf.zeros([1, o.na]) as tf.Tensor2D, false)) as { seq?: unknown; stat?: unknown } | undefined;
    const seq = out?.seq, stat = out?.stat;
    const want = seq !== undefined && stat !== undefined ? o.ny.both : o.ny;
    const okSeq = seq === undefined || (seq instanceof tf.Tensor && seq.shape.join() === `3,1,${want.seq}`);
    const okStat = stat === undefined || (stat instanceof tf.Tensor && stat.shape.join() === `1,${want.stat}`);
    if ((seq === undefined && stat === undefined) || !okSeq || !okStat) {
      fail(
        where,
        `forward() on x [3, 1, ${o.nx}] returned seq ${shapeOf(seq)}, stat ${shapeOf(stat)}; expected seq [3, 1, ${o.ny.seq}] (per-step only), stat [1, ${o.ny.stat}] (per-basin only), or both seq [3, 1, ${o.ny.both.seq}] and stat [1, ${o.ny.both.stat}]`,
        'size the outputs from the constructor options ny.seq, ny.stat or ny.both',
      );
    }
  });
  return pz;
}

/** The user's loss, checked: a function returning a one-element tensor on a test batch. */
export function checkLossFunction(fn: unknown, where: string): LossFunction {
  if (typeof fn !== 'function' || /^class[\s{]/.test(Function.prototype.toString.call(fn))) {
    fail(where, `expected a loss function ${LOSS_SIG}, got ${typeof fn === 'function' ? 'a class' : shapeOf(fn)}`, 'export default function myLoss(pred, obs, mask, ctx) { … }');
  }
  const loss = fn as LossFunction;
  tf.tidy(() => {
    const one = tf.ones([3, 1]) as tf.Tensor2D;
    const v = tryCall(where, 'the loss', () => loss(tf.fill([3, 1], 2) as tf.Tensor2D, one, one, { sigma: tf.ones([1]) as tf.Tensor1D }));
    if (!(v instanceof tf.Tensor) || v.size !== 1) fail(where, `the loss returned ${shapeOf(v)}; expected a tf.Scalar`, `${LOSS_SIG}; reduce with tf.mean or tf.sum`);
  });
  return loss;
}
