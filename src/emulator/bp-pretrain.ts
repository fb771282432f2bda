/**
 * `nunatak emulator pretrain`: physics-informed pretraining of a Blatter–
 * Pattyn emulator (IGM's CNN) on synthetic glaciers and Hintereisferner, with
 * no training data — the loss is the BP energy of the network's output. The
 * result is an emulator folder in IGM 2.x layout that `iceflow.emulator`
 * loads: model.json + weights.bin (TF.js), model.onnx, model.h5 (Keras 2.x,
 * as IGM's own pinnbp folders), fieldin.dat (names),
 * fieldout.dat (U, V), bp-emulator.json (settings), train-history.csv.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../core/log.js';
import { ready } from '../core/tensor/index.js';
import { defaultBPSettings, bpProblem, type BPProblem } from '../sim/index.js';
import { BP_FIELDIN, writeBPEmulatorMeta } from './bp-folder.js';
import type { BPInputGeometry } from './bp-emulator.js';
import { DEFAULT_SYNTHETIC, syntheticGeometries } from './bp-geometries.js';
import { hefGeometry } from './bp-hef.js';
import { BPTrainer, type BPEpoch } from './bp-train.js';
import { buildCnn } from './networks.js';
import { exportKerasH5 } from './keras-export.js';
import { exportOnnx } from './onnx-export.js';
import { saveTfjsModel } from './tfjs-format.js';
import type { PretrainOptions } from './bp-pretrain-options.js';

export { PRETRAIN_OPTIONS, parsePretrainOptions, type PretrainOption, type PretrainOptions } from './bp-pretrain-options.js';

export interface PretrainResult {
  dir: string;
  history: BPEpoch[];
  seconds: number;
  parameters: number;
  geometries: number;
}

/** Train and save; returns the folder and the energy history. */
export async function pretrainBPEmulator(o: PretrainOptions, onEpoch?: (e: BPEpoch) => void): Promise<PretrainResult> {
  await ready(o.backend);
  const t0 = performance.now();
  const settings = defaultBPSettings({ Nz: o.Nz, vert_spacing: o.vert_spacing, exp_glen: o.exp_glen, exp_weertman: o.exp_weertman });
  const geoms: BPInputGeometry[] = syntheticGeometries(o.synthetic, { ...DEFAULT_SYNTHETIC, ny: o.size, nx: o.size, seed: o.seed });
  if (o.hef) geoms.push(await hefGeometry({ dx: o.hef_dx, years: 200, arrhenius: o.arrhenius, slidingco: o.slidingco }));
  const problems: BPProblem[] = geoms.map((g) => bpProblem(g, settings));
  const model = buildCnn({ network: 'cnn', nIn: BP_FIELDIN.length, nOut: 2 * o.Nz, layers: o.nb_layers, blocks: 1, filters: o.nb_out_filter, kernel: 3, activation: 'lrelu', dropout: 0, l2: 0, seed: o.seed });
  const trainer = new BPTrainer(model, { learningRate: o.learning_rate, clipnorm: o.clipnorm, decay: true, seed: o.seed });
  let history: BPEpoch[];
  try {
    history = trainer.train(geoms.map((geom, k) => ({ geom, problem: problems[k] })), o.epochs, (e) => {
      log.info(`pretrain epoch ${e.epoch}/${o.epochs}: mean energy ${e.loss.toPrecision(5)} MPa m a-1 (${e.seconds.toFixed(1)} s)`);
      onEpoch?.(e);
    });
  } finally {
    trainer.dispose();
    problems.forEach((p) => p.dispose());
  }
  mkdirSync(o.out, { recursive: true });
  await saveTfjsModel(model, o.out);
  writeFileSync(join(o.out, 'model.onnx'), exportOnnx(model, 'nunatak_bp_emulator'));
  // No training_config: the energy loss is not a Keras loss (IGM's pinnbp files carry none either).
  await exportKerasH5(model, join(o.out, 'model.h5'));
  // IGM 2.x writes names only ("%s \n"), no scaling.
  writeFileSync(join(o.out, 'fieldin.dat'), BP_FIELDIN.map((n) => `${n} \n`).join(''));
  writeFileSync(join(o.out, 'fieldout.dat'), 'U\nV\n');
  writeBPEmulatorMeta(o.out, {
    Nz: o.Nz, vert_spacing: o.vert_spacing, exp_glen: o.exp_glen, exp_weertman: o.exp_weertman, new_friction_param: true, dim_arrhenius: 2,
    network: 'cnn', nb_layers: o.nb_layers, nb_out_filter: o.nb_out_filter, inputs: BP_FIELDIN,
  });
  writeFileSync(join(o.out, 'train-history.csv'), 'epoch energy_MPa_m_a seconds\n' + history.map((h) => `${h.epoch} ${h.loss} ${h.seconds.toFixed(3)}`).join('\n') + '\n');
  const parameters = model.countParams();
  model.dispose();
  return { dir: o.out, history, seconds: (performance.now() - t0) / 1000, parameters, geometries: geoms.length };
}
