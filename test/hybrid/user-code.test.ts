// A user's own process model, NN and loss, written in a temporary folder
// outside the repository (no package.json) and named by file in a hybrid
// config: they import from 'nunatak/hybrid' and 'nunatak/core', train with the
// loss decreasing, reproduce the analytic linear-reservoir response, are
// recorded in checkpoints, and every broken file gives one PLUGIN error naming
// the file and the real cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { tf } from '../../src/core/tensor/index.js';
import { isNunatakError } from '../../src/core/errors.js';
import { buildModel } from '../../src/hybrid/build.js';
import type { DifferentiableModel } from '../../src/hybrid/model.js';
import { loadConfig, type HybridConfig } from '../../src/hybrid/train/config.js';
import { loadDataset } from '../../src/hybrid/train/data-setup.js';
import { evaluate, train } from '../../src/hybrid/train/trainer.js';
import { loadUserComponents } from '../../src/hybrid/user-components.js';

const DIR = mkdtempSync(join(tmpdir(), 'nk-hybrid-user-'));

/** The docs/hybrid.md example: one linear reservoir per component, Q the component mean. */
const LINRES = `import { tf } from 'nunatak/core';
import type { Forcing, ProcessModel, ProcessModelOptions } from 'nunatak/hybrid';

export default class LinearReservoir implements ProcessModel<Float32Array> {
  readonly name = 'linear_reservoir';
  readonly paramNames = ['k'];
  readonly bounds = { k: { lo: 0.01, hi: 0.9, unit: 'd-1' } };
  readonly dynamic: string[] = [];
  constructor(readonly opts: ProcessModelOptions) {}
  run(f: Forcing, params: tf.Tensor3D, _dyn: tf.Tensor4D | undefined, init?: Float32Array): tf.Tensor2D {
    const [nb, , nm] = params.shape;
    const k = params.reshape([nb, nm]);
    let S: tf.Tensor = init ? tf.tensor2d(init, [nb, nm]) : tf.zeros([nb, nm]);
    const Q = tf.unstack(tf.tensor2d(f.P, [f.nt, f.nb])).map((p) => {
      S = tf.add(S, p.reshape([nb, 1]));
      const q = tf.mul(k, S);
      S = tf.sub(S, q);
      return tf.mean(q, 1);
    });
    return tf.stack(Q) as tf.Tensor2D;
  }
  spinUp(f: Forcing, params: Float32Array, nm: number): Float32Array {
    const S = new Float32Array(f.nb * nm);
    for (let t = 0; t < f.nt; t++) {
      for (let i = 0; i < S.length; i++) {
        S[i] += f.P[t * f.nb + Math.floor(i / nm)];
        S[i] -= params[i] * S[i];
      }
    }
    return S;
  }
}
`;

/** Masked MSE; counts its calls so the test sees that training used it. */
const LOSS = `import { tf } from 'nunatak/core';
export default function mse(pred, obs, mask) {
  globalThis.__nkUserLossCalls = (globalThis.__nkUserLossCalls ?? 0) + 1;
  const d = tf.where(tf.cast(mask, 'bool'), tf.sub(pred, obs), tf.zerosLike(pred));
  return tf.div(tf.sum(tf.square(d)), tf.maximum(tf.sum(mask), 1));
}
`;

/** A linear map of the attributes to the per-basin outputs the mapper asks for. */
const NN = `import { tf } from 'nunatak/core';
import type { NnOutput, Parameteriser, ParameteriserOptions } from 'nunatak/hybrid';
export class AttrLinear implements Parameteriser {
  readonly kind = 'attr_linear';
  readonly variables: Map<string, tf.Variable>;
  constructor(o: ParameteriserOptions) {
    this.variables = new Map([
      ['w', tf.variable(tf.randomUniform([o.na, o.ny.stat], -0.5, 0.5, 'float32', o.seed))],
      ['b', tf.variable(tf.zeros([o.ny.stat]))],
    ]);
  }
  forward(_x: tf.Tensor3D, c: tf.Tensor2D): NnOutput {
    return { stat: tf.add(tf.matMul(c, this.variables.get('w')!), this.variables.get('b')!) as tf.Tensor2D };
  }
}
`;

writeFileSync(join(DIR, 'linear_reservoir.ts'), LINRES);
writeFileSync(join(DIR, 'my_loss.mjs'), LOSS);
writeFileSync(join(DIR, 'my_nn.mts'), NN);

const BASE = {
  seed: 3,
  save_path: 'run',
  backend: 'cpu',
  data: { source: 'synthetic', synthetic: { basins: 4, days: 200, attributes: 2 }, attributes: ['attr0', 'attr1'] },
  model: { rho: 40, warm_up: 10, phy: { model: './linear_reservoir.ts', nmul: 2, routing: false }, nn: { model: 'mlp', mlp_hidden: 8, mlp_layers: 1, dropout: 0 } },
  train: { start: '2000-01-01', end: '2000-05-31', epochs: 3, batch_size: 4, iterations: 5, optimizer: 'adam', learning_rate: 0.05, loss: './my_loss.mjs' },
  test: { start: '2000-06-01', end: '2000-07-18' },
  simulation: { start: '2000-06-01', end: '2000-07-18' },
};

/** A config file in DIR (relative paths resolve there) with `edit` applied to the raw YAML object. */
function config(name: string, edit: (c: any) => void = () => {}): HybridConfig {
  const c = structuredClone(BASE);
  edit(c);
  const f = join(DIR, `${name}.yaml`);
  writeFileSync(f, stringify(c));
  return loadConfig(f);
}

test('a user process model and loss from a folder outside the repository: train (loss decreases), checkpoints record the files, test and simulate reload them', async () => {
  const cfg = config('train');
  assert.equal(cfg.model.phy.model, join(DIR, 'linear_reservoir.ts'), 'resolved against the config folder');
  (globalThis as Record<string, unknown>).__nkUserLossCalls = 0;
  const r = await train(cfg);
  assert.equal((globalThis as Record<string, unknown>).__nkUserLossCalls, 1 + 3 * 5, 'the user loss: one contract check + 3 epochs × 5 iterations');
  assert.ok(r.losses.every(Number.isFinite));
  assert.ok(r.losses[2] < 0.5 * r.losses[0], `epoch-mean loss ${r.losses.map((l) => l.toFixed(3)).join(' → ')} should fall below half its first value`);
  const ck = JSON.parse(readFileSync(join(cfg.save_path, 'model_ep3.json'), 'utf8'));
  assert.equal(ck.components.phy, join(DIR, 'linear_reservoir.ts'));
  assert.equal(ck.components.loss, join(DIR, 'my_loss.mjs'));
  assert.match(ck.components.sha1[join(DIR, 'linear_reservoir.ts')], /^[0-9a-f]{40}$/);
  const ev = await evaluate(cfg, 'test');
  assert.ok(Object.values(ev.metrics!).every((m) => Number.isFinite(m.nse)));
  const sim = await evaluate(cfg, 'simulation');
  assert.deepEqual(sim.sim, ev.sim, 'simulate and test run the same reloaded model');
  // a config naming another process model than the checkpoint was trained with
  await assert.rejects(evaluate(config('other', (c) => (c.model.phy.model = 'hbv1.0')), 'test'), (e) => isNunatakError(e, 'CONFIG') && /trained with model\.phy\.model .*linear_reservoir\.ts, the config names hbv1\.0/.test(e.message));
});

test("the user's process model equals the analytic linear-reservoir response (pulse, and a fixed-parameter simulation with spin-up)", async () => {
  // pulse: q_t = mean_m P0·k_m·(1 − k_m)^t; float32 vs float64, tolerance 1e-5 mm/d
  const user = await loadUserComponents(config('pulse'));
  const nt = 15, k = [0.2, 0.6];
  const P = new Float32Array(nt);
  P[0] = 10;
  const q = tf.tidy(() => user.phy!.run({ nt, nb: 1, P, T: new Float32Array(nt), PET: new Float32Array(nt) }, tf.tensor3d(k, [1, 1, 2]), undefined).arraySync() as number[][]);
  for (let t = 0; t < nt; t++) {
    const ref = k.reduce((s, km) => s + (10 * km * (1 - km) ** t) / 2, 0);
    assert.ok(Math.abs(q[t]![0]! - ref) < 1e-5, `day ${t}: ${q[t]![0]} vs ${ref}`);
  }
  // `hybrid simulate` with fixed k = 0.3 (nn.model none): 10 warm-up days spun up by spinUp(), then run() from that state,
  // against the recurrence S ← (1 − k)(S + P), q = k(S + P) over the synthetic rain in float64; tolerance 1e-4 mm/d
  const cfg = config('fixed', (c) => {
    c.save_path = 'fixed';
    c.model.nn = { model: 'none' };
    c.model.phy.parameters = { default: { k: 0.3 } };
    c.simulation = { start: '2000-01-11', end: '2000-03-31' };
    delete c.train;
  });
  const res = await evaluate(cfg, 'simulation');
  const ds = loadDataset(cfg, '2000-01-01', '2000-03-31');
  for (let b = 0; b < ds.nb; b++) {
    let S = 0, worst = 0;
    for (let t = 0; t < ds.nt; t++) {
      const w = S + ds.P[t * ds.nb + b]!;
      const ref = 0.3 * w;
      S = 0.7 * w;
      if (t >= 10) worst = Math.max(worst, Math.abs(res.sim[(t - 10) * ds.nb + b]! - ref));
    }
    assert.ok(worst < 1e-4, `basin ${b}: max |Q − analytic| = ${worst}`);
  }
});

test("a user NN class (.mts, a named export) is built with the mapper's output sizes; gradients reach its weights through the user's process model", async () => {
  const cfg = config('nn', (c) => (c.model.nn = { model: './my_nn.mts#AttrLinear' }));
  const user = await loadUserComponents(cfg);
  const model = buildModel(cfg, 3, 2, user) as DifferentiableModel;
  assert.deepEqual([...model.variables.keys()], ['w', 'b']);
  assert.deepEqual(model.variables.get('w')!.shape, [2, 1 * 2], 'ny.stat = 1 parameter × nmul 2 (no routing)');
  const ds = loadDataset(cfg, '2000-01-01', '2000-02-09');
  const batch = { x: tf.zeros([ds.nt, 2, 3]) as tf.Tensor3D, c: tf.tensor2d([[0.2, 0.9], [0.7, 0.1]]), forcing: { nt: ds.nt, nb: 2, P: ds.P.slice(0, ds.nt * 2), T: new Float32Array(ds.nt * 2), PET: new Float32Array(ds.nt * 2) } };
  // P is [nt, nb=4]: take basins 0 and 1 of each day
  for (let t = 0; t < ds.nt; t++) for (let b = 0; b < 2; b++) batch.forcing.P[t * 2 + b] = ds.P[t * ds.nb + b]!;
  const { grads } = tf.variableGrads(() => tf.sum(model.forward(batch, true).Q) as tf.Scalar, [...model.variables.values()]);
  assert.ok(Object.values(grads).every((g) => g.abs().max().dataSync()[0]! > 0), 'gradients reach both weights of the user NN');
});

/** Expects one PLUGIN error whose message names `file` and matches `cause`, and no module-system wording. */
async function rejectsWith(cfg: HybridConfig, file: string, cause: RegExp): Promise<void> {
  await assert.rejects(loadUserComponents(cfg), (e) => {
    assert.ok(isNunatakError(e, 'PLUGIN'), `a PLUGIN error, got ${(e as Error).message}`);
    assert.ok(e.message.includes(join(DIR, file)), `names ${file}: ${e.message}`);
    assert.match(e.message, cause);
    assert.doesNotMatch(e.message, /ERR_[A-Z_]+|Cannot require|Cannot find (module|package)|ES Module/);
    return true;
  });
}

test('broken user files: syntax error, import not found, missing export, wrong export shape — one PLUGIN error naming the file and the cause', async () => {
  writeFileSync(join(DIR, 'bad_syntax.ts'), `${LINRES}\nconst broken = ;\n`);
  writeFileSync(join(DIR, 'bad_import.ts'), "import { NoSuchThing } from 'nunatak/hybrid';\nexport default NoSuchThing;\n");
  writeFileSync(join(DIR, 'helpers.ts'), 'export const k = 0.3;\n');
  writeFileSync(join(DIR, 'no_run.ts'), "export default class Half { name = 'half'; paramNames = ['k']; dynamic = []; bounds = { k: { lo: 0.5, hi: 0.1, unit: '' } }; spinUp() {} }\n");
  writeFileSync(join(DIR, 'wrong_q.ts'), LINRES.replace('return tf.stack(Q) as tf.Tensor2D;', 'return tf.stack(Q).transpose() as tf.Tensor2D;'));
  writeFileSync(join(DIR, 'loss_42.mjs'), 'export default 42;\n');
  writeFileSync(join(DIR, 'loss_unreduced.mjs'), "import { tf } from 'nunatak/core';\nexport default (pred, obs) => tf.square(tf.sub(pred, obs));\n");
  writeFileSync(join(DIR, 'nn_small.mts'), NN.replace('o.ny.stat]', 'o.ny.stat + 1]').replace('[o.ny.stat]', '[o.ny.stat + 1]'));
  const phy = (name: string, ref: string) => config(name, (c) => (c.model.phy.model = ref));
  const loss = (name: string, ref: string) => config(name, (c) => (c.train.loss = ref));
  await rejectsWith(phy('e1', './bad_syntax.ts'), 'bad_syntax.ts', /does not compile[\s\S]*bad_syntax\.ts:\d+:\d+: Unexpected ";"/);
  await rejectsWith(phy('e2', './bad_import.ts'), 'bad_import.ts', /imports 'NoSuchThing' from 'nunatak\/hybrid', which does not export it/);
  await rejectsWith(phy('e3', './linear_reservoir.ts#Reservoir'), 'linear_reservoir.ts', /export 'Reservoir' not found/);
  await rejectsWith(phy('e4', './helpers.ts'), 'helpers.ts', /no default export and no exported class/);
  await rejectsWith(phy('e5', './no_run.ts'), 'no_run.ts', /not a ProcessModel: missing or wrong bounds\.k as \{lo, hi\} with lo < hi.*; `run\(forcing/);
  await rejectsWith(phy('e6', './wrong_q.ts'), 'wrong_q.ts', /run\(\) returned a tensor \[1, 3\] for 3 days × 1 basin; expected Q \[3, 1\]/);
  await rejectsWith(loss('e7', './loss_42.mjs'), 'loss_42.mjs', /expected a loss function .*, got a number/);
  await rejectsWith(loss('e8', './loss_unreduced.mjs'), 'loss_unreduced.mjs', /the loss returned a tensor \[3, 1\]; expected a tf\.Scalar/);
  // an NN with the wrong output size (its only exported class is taken): the error comes when the sizes are known
  const c9 = config('e9', (c) => (c.model.nn = { model: './nn_small.mts' }));
  const u9 = await loadUserComponents(c9);
  assert.throws(() => buildModel(c9, 3, 2, u9), (e) => isNunatakError(e, 'PLUGIN') && e.message.includes(`${join(DIR, 'nn_small.mts')}#AttrLinear`) && /forward\(\) on x \[3, 1, 5\] returned seq undefined, stat a tensor \[1, 3\]; expected .*stat \[1, 2\]/.test(e.message));
});
