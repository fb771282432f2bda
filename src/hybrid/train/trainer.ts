/**
 * `nunatak hybrid train|test|simulate`: random basins (with replacement) ×
 * random windows of warm_up + rho days, NaN-masked loss on the last rho days,
 * Adadelta/Adam with per-epoch LR schedule, checkpoints with optimizer state
 * (resumed automatically), seed-deterministic sampling and dropout.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf, ready } from '../../core/tensor/index.js';
import { NunatakError } from '../../core/errors.js';
import { log } from '../../core/log.js';
import { progress } from '../../core/progress.js';
import { buildModel } from '../build.js';
import { fixedParamsModel } from '../fixed-params.js';
import { datasetStats, makeBatch, normaliseInputs, type HydroDataset, type NormInputs } from '../data/dataset.js';
import { loadStats, saveStats, type StatsTable } from '../data/normalize.js';
import type { HydroModel } from '../hydro-model.js';
import { makeRng } from '../nn/init.js';
import { checkRecorded, componentRecord, loadUserComponents, type UserComponents } from '../user-components.js';
import { checkpointEpochs, loadCheckpoint, restoreWeights, saveCheckpoint } from './checkpoint.js';
import type { HybridConfig } from './config.js';
import { daysBefore, loadDataset } from './data-setup.js';
import { lossFn, type LossName } from './losses.js';
import { aggregate, basinMetrics, type BasinMetrics } from './metrics.js';
import { Optimizer, scheduledLr } from './optim.js';
import { writePlots } from './plots.js';

const STATS_FILE = 'normalization_statistics.json';

/** NN inputs; the calibration "NN" (and the fixed-parameter model) sees one-hot basin ids instead of attributes. */
function inputsFor(cfg: HybridConfig, ds: HydroDataset, stats: StatsTable): { ni: NormInputs; na: number } {
  const ni = normaliseInputs(ds, stats, cfg.data.log_norm);
  if (cfg.model.nn.model !== 'calibration' && cfg.model.nn.model !== 'none') return { ni, na: ds.attrNames.length };
  const c = new Float32Array(ds.nb * ds.nb);
  for (let b = 0; b < ds.nb; b++) c[b * ds.nb + b] = 1;
  return { ni: { x: ni.x, c }, na: ds.nb };
}

/** The loss of the config: the user's function (NaN observations left to its mask) or a built-in. */
function lossOf(cfg: HybridConfig, user: UserComponents): (pred: tf.Tensor2D, obs: tf.Tensor2D, sigma: tf.Tensor1D) => tf.Scalar {
  const fn = user.loss;
  if (!fn) return (pred, obs, sigma) => lossFn(cfg.train!.loss as LossName, pred, obs, sigma);
  return (pred, obs, sigma) => fn(pred, obs, tf.cast(tf.logicalNot(tf.isNaN(obs)), 'float32') as tf.Tensor2D, { sigma }).reshape([]) as tf.Scalar;
}

export interface TrainResult {
  epochs: number;
  losses: number[];
}

export async function train(cfg: HybridConfig): Promise<TrainResult> {
  if (!cfg.train) throw new NunatakError('CONFIG', 'the config has no train section');
  if (cfg.model.nn.model === 'none') throw new NunatakError('CONFIG', 'model.nn.model none runs fixed parameters: there is nothing to train', { hint: 'use nunatak hybrid simulate or test, or choose an NN (calibration fits per-basin parameters)' });
  await ready(cfg.backend);
  const user = await loadUserComponents(cfg); // the user's files fail here, before any data is read
  const loss = lossOf(cfg, user);
  const tc = cfg.train;
  const W = cfg.model.warm_up, rho = cfg.model.rho;
  const ds = loadDataset(cfg, tc.start, tc.end);
  if (ds.nt < W + rho) throw new NunatakError('CONFIG', `train period has ${ds.nt} days, a window needs warm_up + rho = ${W + rho}`, { hint: 'lengthen train.start…end or shorten model.rho / warm_up' });
  mkdirSync(cfg.save_path, { recursive: true });
  const stats = datasetStats(ds, cfg.data.log_norm);
  saveStats(join(cfg.save_path, STATS_FILE), stats);
  const { ni, na } = inputsFor(cfg, ds, stats);
  const model = buildModel(cfg, 3, na, user);
  const opt = new Optimizer(tc.optimizer, tc.learning_rate);
  // per-basin std of the training flow (NSE* loss)
  const sigma = Float32Array.from(ds.ids, (_, b) => {
    const v: number[] = [];
    for (let t = 0; t < ds.nt; t++) if (!Number.isNaN(ds.qobs[t * ds.nb + b])) v.push(ds.qobs[t * ds.nb + b]);
    const m = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
    return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
  });
  let start = 0;
  const have = checkpointEpochs(cfg.save_path).filter((e) => e <= tc.epochs);
  if (have.length) {
    const ck = loadCheckpoint(cfg.save_path, have[have.length - 1]);
    checkRecorded(ck.components, cfg, `the checkpoint of epoch ${ck.epoch} in ${cfg.save_path}`);
    restoreWeights(ck, model.variables);
    if (ck.optimizer) opt.setState(ck.optimizer);
    start = ck.epoch;
    log.info(`resuming from epoch ${start} (${cfg.save_path})`);
  }
  const bs = tc.batch_size;
  const iters = tc.iterations ?? Math.max(1, Math.ceil(Math.log(0.01) / Math.log(1 - Math.min(0.999, (bs * rho) / (ds.nb * Math.max(1, ds.nt - W))))));
  const bar = progress('train', (tc.epochs - start) * iters, { unit: 'it', fields: ['epoch', 'loss'] });
  const vars = [...model.variables.entries()];
  const losses: number[] = [];
  for (let ep = start; ep < tc.epochs; ep++) {
    opt.lr = scheduledLr(tc.learning_rate, tc.lr_scheduler, ep);
    const rng = makeRng(cfg.seed * 7 + 1000003 * (ep + 1));
    model.reseed?.(cfg.seed + 31 * (ep + 1));
    let sum = 0;
    for (let it = 0; it < iters; it++) {
      const idx = Array.from({ length: bs }, () => Math.floor(rng() * ds.nb));
      const t0 = Array.from({ length: bs }, () => Math.floor(rng() * (ds.nt - W - rho + 1)));
      const { batch, qobs } = makeBatch(ds, ni, idx, t0, W + rho);
      const obs = tf.tensor2d(qobs.subarray(W * bs), [rho, bs]);
      const sig = tf.tensor1d(Float32Array.from(idx, (b) => sigma[b]));
      const { value, grads } = tf.variableGrads(() => loss(model.forward(batch, true).Q, obs, sig), vars.map(([, v]) => v));
      const lv = value.dataSync()[0];
      if (!Number.isFinite(lv)) {
        const hint = user.lossWhere ? `if it is the loss of the first iteration: ${user.lossWhere} must leave out missing observations (NaN in obs; use the mask argument); else lower train.learning_rate` : 'lower train.learning_rate';
        throw new NunatakError('NUMERIC', `loss became ${lv} at epoch ${ep + 1}, iteration ${it + 1}`, { hint });
      }
      opt.apply(model.variables, new Map(vars.map(([k, v]) => [k, grads[v.name]])));
      tf.dispose([value, obs, sig, batch.x, batch.c, ...Object.values(grads)]);
      sum += lv;
      bar.tick(1, { epoch: ep + 1, loss: lv.toFixed(4) });
    }
    losses.push(sum / iters);
    if ((ep + 1) % tc.save_epoch === 0 || ep + 1 === tc.epochs) saveCheckpoint(cfg.save_path, ep + 1, model.variables, opt.getState(), componentRecord(cfg));
  }
  bar.stop();
  writeFileSync(join(cfg.save_path, 'train_loss.json'), JSON.stringify({ start_epoch: start, losses }));
  return { epochs: tc.epochs, losses };
}

export interface EvalResult {
  dir: string;
  ids: string[];
  dates: string[];
  /** simulated and observed flow [nt, nb] mm/d over the period (warm-up excluded) */
  sim: Float32Array;
  obs: Float32Array;
  metrics?: Record<string, BasinMetrics>;
}

/** Run a trained model over the test or simulation period; write flows and (test) metrics. */
export async function evaluate(cfg: HybridConfig, mode: 'test' | 'simulation', modelIn?: HydroModel): Promise<EvalResult> {
  const pc = mode === 'test' ? cfg.test : cfg.simulation;
  if (!pc) throw new NunatakError('CONFIG', `the config has no ${mode} section`);
  await ready(cfg.backend);
  const user = modelIn ? {} : await loadUserComponents({ ...cfg, train: undefined }); // the loss is not needed here
  const W = cfg.model.warm_up;
  const fixed = cfg.model.nn.model === 'none';
  const statsFile = join(cfg.save_path, STATS_FILE);
  if (!fixed && !existsSync(statsFile)) throw new NunatakError('NOT_FOUND', `${statsFile} is missing`, { hint: 'train first (it saves the normalisation statistics)' });
  const ds = loadDataset(cfg, daysBefore(pc.start, W), pc.end);
  // fixed parameters need no network, so no training statistics either (the inputs are unused)
  const stats = fixed ? datasetStats(ds, cfg.data.log_norm) : loadStats(statsFile);
  const { ni, na } = inputsFor(cfg, ds, stats);
  let model = modelIn;
  if (!model && fixed) model = fixedParamsModel(cfg, ds.ids, user);
  if (!model) {
    model = buildModel(cfg, 3, na, user);
    const ck = loadCheckpoint(cfg.save_path, pc.epoch);
    checkRecorded(ck.components, cfg, `the checkpoint of epoch ${ck.epoch} in ${cfg.save_path}`);
    restoreWeights(ck, model.variables);
  }
  const nt = ds.nt - W, nb = ds.nb;
  const sim = new Float32Array(nt * nb), obs = new Float32Array(nt * nb);
  for (let b0 = 0; b0 < nb; b0 += pc.batch_size) {
    const idx = Array.from({ length: Math.min(pc.batch_size, nb - b0) }, (_, j) => b0 + j);
    const { batch, qobs } = makeBatch(ds, ni, idx, 0, ds.nt);
    const q = tf.tidy(() => model!.forward(batch, false).Q).dataSync();
    for (let t = 0; t < nt; t++) {
      idx.forEach((b, j) => {
        sim[t * nb + b] = q[t * idx.length + j];
        obs[t * nb + b] = qobs[(t + W) * idx.length + j];
      });
    }
    tf.dispose([batch.x, batch.c]);
  }
  const dates = ds.dates.slice(W);
  const dir = join(cfg.save_path, `${mode}_${pc.start}_${pc.end}`);
  mkdirSync(dir, { recursive: true });
  const lines = [`date,${ds.ids.flatMap((id) => [`${id}_sim`, `${id}_obs`]).join(',')}`];
  for (let t = 0; t < nt; t++) lines.push(`${dates[t]},${ds.ids.flatMap((_, b) => [sim[t * nb + b].toFixed(5), Number.isNaN(obs[t * nb + b]) ? '' : obs[t * nb + b].toFixed(5)]).join(',')}`);
  writeFileSync(join(dir, 'streamflow.csv'), lines.join('\n') + '\n');
  const res: EvalResult = { dir, ids: ds.ids, dates, sim, obs };
  if (mode === 'test') {
    const metrics: Record<string, BasinMetrics> = {};
    ds.ids.forEach((id, b) => {
      const s = Float32Array.from({ length: nt }, (_, t) => sim[t * nb + b]);
      const o = Float32Array.from({ length: nt }, (_, t) => obs[t * nb + b]);
      metrics[id] = basinMetrics(s, o);
    });
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 1));
    writeFileSync(join(dir, 'metrics_agg.json'), JSON.stringify(aggregate(Object.values(metrics)), null, 1));
    res.metrics = metrics;
  }
  writePlots(res);
  return res;
}
