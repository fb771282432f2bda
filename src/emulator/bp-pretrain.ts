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
import { NunatakError } from '../core/errors.js';
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

export interface PretrainOption {
  name: string;
  default: number | string | boolean;
  unit: string;
  help: string;
}

/** Every option with meaning, unit and default (the CLI's --help is built from this table). */
export const PRETRAIN_OPTIONS: PretrainOption[] = [
  { name: 'out', default: '', unit: '', help: 'output folder (default: pinnbp_<Nz>_<vert_spacing>_cnn_<nb_layers>_<nb_out_filter>_2_1, IGM\'s name)' },
  { name: 'Nz', default: 10, unit: 'levels', help: 'vertical levels of U, V (bed → surface)' },
  { name: 'vert_spacing', default: 4, unit: '1', help: 'IGM vertical spacing parameter (1 = uniform, > 1 = finer near the bed)' },
  { name: 'exp_glen', default: 3, unit: '1', help: "Glen's exponent n" },
  { name: 'exp_weertman', default: 3, unit: '1', help: "Weertman's exponent m" },
  { name: 'nb_layers', default: 16, unit: 'layers', help: 'CNN 3×3 conv layers (IGM default 16)' },
  { name: 'nb_out_filter', default: 32, unit: 'filters', help: 'filters per conv layer (IGM default 32)' },
  { name: 'epochs', default: 100, unit: 'passes', help: 'passes over all geometries (one Adam step per geometry)' },
  { name: 'learning_rate', default: 1e-3, unit: '1', help: "Adam learning rate, decayed as IGM: lr·0.9^(epoch/100)" },
  { name: 'clipnorm', default: 1, unit: '1', help: 'gradient clipping per tensor (Keras clipnorm; IGM 1.0); 0 = off' },
  { name: 'synthetic', default: 24, unit: 'geometries', help: 'synthetic glaciers (valleys, ice caps, bumpy beds) with random A and c' },
  { name: 'size', default: 32, unit: 'cells', help: 'synthetic grid rows and columns' },
  { name: 'hef', default: true, unit: '', help: 'also train on Hintereisferner (grown by nunatak SIA from examples/emulator/hef.yaml)' },
  { name: 'hef_dx', default: 200, unit: 'm', help: 'Hintereisferner grid spacing (100 = the example grid, 55×76)' },
  { name: 'arrhenius', default: 78, unit: 'MPa-3 a-1', help: 'A for Hintereisferner (synthetic glaciers draw A in [20, 150])' },
  { name: 'slidingco', default: 0.0464, unit: 'MPa a^(1/3) m^(-1/3)', help: 'c for Hintereisferner (synthetic glaciers draw c in [0.02, 0.1])' },
  { name: 'seed', default: 1, unit: '', help: 'seed for geometries, weights and sample order' },
  { name: 'backend', default: 'wasm', unit: '', help: 'TF.js backend for training: wasm (XNNPACK) or cpu' },
];

export interface PretrainOptions {
  out: string;
  Nz: number;
  vert_spacing: number;
  exp_glen: number;
  exp_weertman: number;
  nb_layers: number;
  nb_out_filter: number;
  epochs: number;
  learning_rate: number;
  clipnorm: number;
  synthetic: number;
  size: number;
  hef: boolean;
  hef_dx: number;
  arrhenius: number;
  slidingco: number;
  seed: number;
  backend: 'wasm' | 'cpu';
}

/** Parse string options (CLI) into typed options with defaults; errors name the option. */
export function parsePretrainOptions(raw: Record<string, string | boolean | undefined>): PretrainOptions {
  const o: Record<string, unknown> = {};
  for (const opt of PRETRAIN_OPTIONS) {
    const v = raw[opt.name];
    if (v === undefined) {
      o[opt.name] = opt.default;
      continue;
    }
    if (typeof opt.default === 'number') {
      const x = Number(v);
      if (!Number.isFinite(x)) throw new NunatakError('CONFIG', `--${opt.name}: expected a number (${opt.unit}), got '${v}'`);
      o[opt.name] = x;
    } else if (typeof opt.default === 'boolean') {
      const s = String(v).toLowerCase();
      if (!['true', 'false', '1', '0'].includes(s)) throw new NunatakError('CONFIG', `--${opt.name}: expected true or false, got '${v}'`);
      o[opt.name] = s === 'true' || s === '1';
    } else o[opt.name] = String(v);
  }
  const p = o as unknown as PretrainOptions;
  const posInt = (k: keyof PretrainOptions, min: number) => {
    const x = p[k] as number;
    if (!Number.isInteger(x) || x < min) throw new NunatakError('CONFIG', `--${k} must be an integer ≥ ${min}, got ${x}`);
  };
  posInt('Nz', 2);
  posInt('nb_layers', 1);
  posInt('nb_out_filter', 1);
  posInt('epochs', 0);
  posInt('synthetic', 0);
  posInt('size', 8);
  if (!(p.vert_spacing > 0)) throw new NunatakError('CONFIG', `--vert_spacing must be > 0, got ${p.vert_spacing}`);
  if (!(p.learning_rate > 0)) throw new NunatakError('CONFIG', `--learning_rate must be > 0, got ${p.learning_rate}`);
  if (p.backend !== 'wasm' && p.backend !== 'cpu') throw new NunatakError('CONFIG', `--backend must be wasm or cpu, got '${p.backend}'`);
  if (p.synthetic === 0 && !p.hef) throw new NunatakError('CONFIG', '--synthetic 0 and --hef false leave nothing to train on', { hint: 'give --synthetic N or --hef true' });
  if (!p.out) p.out = `pinnbp_${p.Nz}_${p.vert_spacing}_cnn_${p.nb_layers}_${p.nb_out_filter}_2_1`;
  return p;
}

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
