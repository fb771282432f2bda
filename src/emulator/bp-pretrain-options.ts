/**
 * Options of `nunatak emulator pretrain` (meaning, unit, default) and their
 * parser, apart from the trainer so that the CLI builds its help without
 * loading TF.js, the BP solver and the exporters.
 */
import { NunatakError } from '../core/errors.js';

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
