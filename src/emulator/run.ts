/**
 * `nunatak emulator train`: DLE's run() — open data, sample patches, train,
 * save the emulator and artefacts, then predict every test case.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { log } from '../core/log.js';
import { ready } from '../core/tensor/index.js';
import { writeHistory, writeLearningCurve, writePredictionMaps } from './artifacts.js';
import { BatchCycler } from './batches.js';
import { prepareCase, type CaseData } from './case-data.js';
import { loadSplit } from './dataset.js';
import { epochSampler, type EpochSample } from './epoch-sample.js';
import { fit, type FitResult, type HistoryRow } from './fit.js';
import { FIELD_UNITS, resolveMapping, type Mapping } from './mapping.js';
import { buildNetwork, checkGrid } from './networks.js';
import { formatRunParameters, resultsFolderName, type EmulatorOptions } from './options.js';
import { patchesPerEpoch, resolvePatchSize, samplePatches } from './patches.js';
import { loadEmulatorTfjs, saveEmulator } from './store.js';

export interface RunResult {
  dir: string;
  fit?: FitResult;
  /** Per test case and frame: MAE and RMSE in output units. */
  scores: Array<{ case: string; frame: number; mae: number; rmse: number }>;
}

async function openData(o: EmulatorOptions, m: Mapping): Promise<{ train: CaseData[]; test: CaseData[] }> {
  const root = join(o.data_dir, o.dataset);
  const needed = [...new Set([...m.inputs, ...m.outputs].map((c) => c.name).concat(m.ice ? ['thk'] : []))];
  const prep = (cs: CaseData[]) => cs.map((c) => prepareCase(c, needed, { dataStepping: o.data_stepping, resample: o.resample_data }));
  const train = prep(await loadSplit(root, 'train', needed));
  const test = prep(await loadSplit(root, 'test', needed));
  return { train: o.include_test_in_train ? [...train, ...test] : train, test };
}

/** Callbacks of a run, e.g. for `--view`. */
export interface RunHooks {
  /** Each training epoch's history row, as soon as it is complete. */
  onEpoch?: (row: HistoryRow) => void;
  /**
   * The first validation patch predicted after each epoch (called before
   * onEpoch of the same epoch); only computed when set.
   */
  onEpochSample?: (s: EpochSample) => void;
}

export async function runEmulator(o: EmulatorOptions, hooks: RunHooks = {}): Promise<RunResult> {
  await ready(o.backend);
  const mapping = resolveMapping(o.maptype);
  const dir = join(o.results_dir, resultsFolderName(o));
  const { train, test } = await openData(o, mapping);
  const result: RunResult = { dir, scores: [] };
  if (o.train) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dle-run-parameters.txt'), formatRunParameters(o));
    const p = resolvePatchSize(o.patch_size, [...train, ...test]);
    checkGrid(o.network, o.nb_blocks, p, p, `patch_size ${p}`);
    const thr = mapping.ice ? o.thr_ice : null;
    const refs = samplePatches(train, p, o.seed, thr);
    const vrefs = samplePatches(test, p, o.seed + 1, thr);
    const steps = Math.max(1, Math.floor(patchesPerEpoch(train, p) / o.batch_size));
    const valSteps = Math.max(1, Math.floor(patchesPerEpoch(test, p) / o.batch_size));
    const model = buildNetwork({
      network: o.network, nIn: mapping.inputs.length, nOut: mapping.outputs.length, layers: o.nb_layers, blocks: o.nb_blocks,
      filters: o.nb_out_filter, kernel: o.conv_ker_size, activation: o.activation, dropout: o.dropout_rate, l2: o.regularization, seed: o.seed,
    });
    const meta = { network: o.network, blocks: o.nb_blocks, inputs: mapping.inputs, outputs: mapping.outputs };
    const keras = { training: { loss: o.loss, learningRate: o.learning_rate, clipnorm: o.clipnorm }, l2: o.regularization };
    const lines: string[] = [];
    model.summary(120, undefined, (l: string) => lines.push(l));
    writeFileSync(join(dir, 'model-info.txt'), lines.join('\n') + '\n');
    if (o.verbose > 0) log.info(`emulator: ${train.length} train / ${test.length} test cases, patch ${p}, ${steps} steps/epoch, ${model.countParams()} parameters → ${dir}`);
    const sampler = hooks.onEpochSample && vrefs.length > 0 ? epochSampler(test, vrefs[0], p, meta) : undefined;
    const onEpoch = async (row: HistoryRow) => {
      if (sampler) hooks.onEpochSample!(await sampler(model, row.epoch));
      hooks.onEpoch?.(row);
    };
    const src = { patch: p, inputs: mapping.inputs, outputs: mapping.outputs };
    result.fit = await fit(model, new BatchCycler({ ...src, cases: train, refs }, o.data_augmentation, o.seed), new BatchCycler({ ...src, cases: test, refs: vrefs }, false, o.seed + 1), {
      epochs: o.epochs, batch: o.batch_size, stepsPerEpoch: steps, valSteps, learningRate: o.learning_rate, clipnorm: o.clipnorm,
      l2: o.regularization, loss: o.loss, patience: o.patience, saveEach: o.save_model_each, showProgress: o.verbose > 0, trainer: o.trainer,
      onCheckpoint: (epoch, mdl) => saveEmulator(join(dir, `model.${String(epoch).padStart(5, '0')}`), mdl, meta, keras),
      onEpoch,
    });
    if (result.fit.stoppedOn === 'nan') log.warn('emulator: training stopped on a NaN loss (TerminateOnNaN); the best weights so far are kept');
    writeHistory(dir, result.fit.history);
    writeLearningCurve(join(dir, 'Learning-curve.png'), result.fit.history, o.loss);
    await saveEmulator(dir, model, meta, keras);
    model.dispose();
  }
  if (o.predict) {
    const emu = await loadEmulatorTfjs(dir).catch((e) => {
      throw new NunatakError('NOT_FOUND', `cannot predict: no trained emulator in ${dir} (${(e as Error).message})`, { hint: 'train first (train: true)' });
    });
    const units = FIELD_UNITS[emu.meta.outputs[0].name] ?? 'output units';
    for (const c of test) {
      const sub = join(dir, c.name);
      mkdirSync(sub, { recursive: true });
      const step = Math.max(Math.floor(c.nt / 10), 1);
      const n = c.ny * c.nx;
      for (let t = 0; t < c.nt; t += step) {
        const frame: Record<string, Float32Array> = {};
        for (const ch of emu.meta.inputs) frame[ch.name] = c.fields.get(ch.name)!.subarray(t * n, (t + 1) * n);
        const pred = await emu.predict(frame, c.ny, c.nx);
        const truth = emu.meta.outputs.map((ch) => c.fields.get(ch.name)!.subarray(t * n, (t + 1) * n));
        const s = writePredictionMaps(join(sub, `predict-${c.name}_${String(t).padStart(4, '0')}`), c.name, t, c.ny, c.nx, c.dx, truth, emu.meta.outputs.map((ch) => pred[ch.name]), units);
        result.scores.push({ case: c.name, frame: t, ...s });
      }
    }
    writeFileSync(join(dir, 'predict-scores.txt'), 'case frame mae rmse\n' + result.scores.map((s) => `${s.case} ${s.frame} ${s.mae} ${s.rmse}`).join('\n') + '\n');
  }
  return result;
}
