/**
 * Emulator training options: every DLE (`jouvetg/dle`) option with DLE's
 * default, validated with zod. Values come from a YAML file and/or the command
 * line (command line wins). DLE's `--thrice` is called `thr_ice` here (both
 * spellings accepted; `usegpu` is accepted and ignored) and its
 * machine-specific data/results dirs default to `data` / `results`.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { NunatakError, didYouMean } from '../core/errors.js';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'True', 'False'])]).transform((v) =>
  typeof v === 'boolean' ? v : v === 'true' || v === '1' || v === 'True',
);
const num = z.coerce.number().refine(Number.isFinite, 'must be a finite number');
const int = z.coerce.number().int('must be an integer');

export const emulatorOptionsSchema = z
  .object({
    /** Folder under `data_dir` holding `train/` and `test/`. */
    dataset: z.string().min(1).default('pism_isoth_2000'),
    /** Preset key (f2, f10–f15) or a folder holding fieldin.dat / fieldout.dat. */
    maptype: z.string().min(1).default('f2'),
    train: bool.default(true),
    predict: bool.default(true),
    network: z.enum(['cnn', 'unet']).default('cnn'),
    /** CNN kernel size (cells). */
    conv_ker_size: int.min(1).default(3),
    /** Number of CNN conv layers. */
    nb_layers: int.min(1).default(16),
    /** U-Net levels (max-pool count + 1). */
    nb_blocks: int.min(1).max(8).default(4),
    /** Filters (CNN) or base filters (U-Net). */
    nb_out_filter: int.min(1).default(32),
    /** `lrelu` = LeakyReLU(0.01); anything else DLE reads as ReLU, so only `relu` is accepted. */
    activation: z.enum(['lrelu', 'relu']).default('lrelu'),
    dropout_rate: num.min(0).max(0.99).default(0),
    learning_rate: num.positive().default(1e-4),
    /** Per-gradient-tensor norm clip (Keras clipnorm); 0 turns it off. */
    clipnorm: num.min(0).default(0.5),
    /** L2 kernel regulariser factor. */
    regularization: num.min(0).default(0),
    batch_size: int.min(1).default(64),
    loss: z.enum(['mae', 'mse']).default('mae'),
    /** >1 coarsens the data by k×k block means (k integer). */
    resample_data: num.positive().default(1),
    include_test_in_train: bool.default(false),
    /** Checkpoint period (epochs). */
    save_model_each: int.min(1).default(10000),
    data_augmentation: bool.default(true),
    /** Keep every r-th time frame. */
    data_stepping: int.min(1).default(1),
    epochs: int.min(1).default(100),
    /** Early-stopping patience on the training loss (epochs, restore best). */
    patience: int.min(1).default(100),
    seed: int.default(123),
    /** Ice thickness (m) at the patch centre below which a patch is dropped (f-maptypes). */
    thr_ice: num.default(1),
    /** Patch size (cells); negative = largest power of 2 ≤ the smallest grid dimension. */
    patch_size: int.refine((v) => v !== 0, 'must not be 0').default(32),
    data_dir: z.string().default('data'),
    results_dir: z.string().default('results'),
    verbose: int.min(0).max(2).default(1),
    /** Tensor backend for TF.js training. */
    backend: z.enum(['wasm', 'cpu']).default('cpu'),
    /** Who runs the training steps: auto = ONNX Runtime for plain CNNs (TF.js otherwise), tfjs = always TF.js. */
    trainer: z.enum(['auto', 'tfjs']).default('auto'),
  })
  .strict();

export type EmulatorOptions = z.output<typeof emulatorOptionsSchema>;
export type EmulatorOptionsInput = z.input<typeof emulatorOptionsSchema>;

export const OPTION_NAMES = Object.keys(emulatorOptionsSchema.shape) as Array<keyof EmulatorOptions>;

/** What an option means, its unit and its DLE spelling where that differs: the one source of `--help` and docs/emulator.md. */
export interface EmulatorOptionDoc {
  help: string;
  unit?: string;
  /** Accepted values, for enumerations. */
  choices?: readonly string[];
  /** DLE's spelling when it differs from nunatak's key (accepted as an alias). */
  dle?: string;
  /** Placeholder in help. */
  value?: string;
}

const B = { value: 'bool' } as const;
/** Every option documented (a Record over the schema's keys, so none can be missed). */
export const EMULATOR_OPTION_DOCS: Record<keyof EmulatorOptions, EmulatorOptionDoc> = {
  dataset: { help: 'folder under data_dir holding train/ and test/ (its name must end _<resolution> when resample_data ≠ 1)', value: 'name' },
  maptype: { help: 'preset (f2, f10–f15) or a folder holding fieldin.dat and fieldout.dat', value: 'name|dir' },
  train: { help: 'train (wipes and rewrites the results folder); false = reuse the trained model already there', ...B },
  predict: { help: 'predict every test case with the trained model and write maps and scores', ...B },
  network: { help: 'network type', choices: ['cnn', 'unet'], value: 'kind' },
  conv_ker_size: { help: 'CNN convolution kernel size', unit: 'cells', value: 'n' },
  nb_layers: { help: 'CNN convolution layers', unit: 'layers', value: 'n' },
  nb_blocks: { help: 'U-Net levels (max-pool count + 1)', unit: 'levels', value: 'n' },
  nb_out_filter: { help: 'filters per layer (CNN) or base filters, doubled per level (U-Net)', unit: 'filters', value: 'n' },
  activation: { help: 'activation: lrelu = LeakyReLU(α = 0.01)', choices: ['lrelu', 'relu'], value: 'name' },
  dropout_rate: { help: 'dropout after every activation, training only', unit: 'fraction', value: 'x' },
  learning_rate: { help: 'Adam step size (β1 0.9, β2 0.999, ε 1e-7); no schedule', value: 'x' },
  clipnorm: { help: 'each gradient tensor clipped to this L2 norm (Keras clipnorm); 0 = off', value: 'x' },
  regularization: { help: 'L2 factor on the convolution kernels, added to the loss', value: 'x' },
  batch_size: { help: 'patches per training step', unit: 'patches', value: 'n' },
  loss: { help: 'loss on the scaled fields', choices: ['mae', 'mse'], value: 'name' },
  resample_data: { help: 'k > 1 coarsens the data by k×k NaN-ignoring block means (k integer; refinement < 1 is not implemented)', unit: 'factor', value: 'k' },
  include_test_in_train: { help: 'train on the train and test cases together', ...B },
  save_model_each: { help: 'write a checkpoint model.<epoch:05d>/ every this many epochs', unit: 'epochs', value: 'n' },
  data_augmentation: { help: 'random grid symmetries, vector-aware (x/y components negated or swapped)', ...B },
  data_stepping: { help: 'keep every r-th time frame', unit: 'frames', value: 'r' },
  epochs: { help: 'training epochs', unit: 'epochs', value: 'n' },
  patience: { help: 'early stopping on the training loss, best weights restored (DLE: fixed 100)', unit: 'epochs', value: 'n' },
  seed: { help: 'seed of patch sampling, augmentation and weight initialisation', value: 'n' },
  thr_ice: { help: 'a patch is kept only if thk at its centre exceeds this (glacier maptypes)', unit: 'm', dle: 'thrice', value: 'm' },
  patch_size: { help: 'patch size; negative = largest power of 2 ≤ the smallest grid dimension', unit: 'cells', value: 'n' },
  data_dir: { help: 'folder holding the dataset folders (DLE: a path on its author\'s machine)', value: 'dir' },
  results_dir: { help: 'folder the results folder <dataset>+MAPTY-…+TESTI-<0|1> is made in', value: 'dir' },
  verbose: { help: '0 = silent, 1–2 = progress bar with loss, val_loss and ETA', value: 'n' },
  backend: { help: 'TF.js backend when TF.js trains (cpu = reference; wasm = XNNPACK convolutions)', choices: ['wasm', 'cpu'], value: 'name' },
  trainer: {
    help: 'auto = a plain CNN trains in ONNX Runtime, one native call per step (NCHWc convolutions, threads from NUNATAK_THREADS, default one per core), U-Nets and dropout > 0 with TF.js; tfjs = always TF.js autodiff',
    choices: ['auto', 'tfjs'],
    value: 'name',
  },
};

/** DLE's GPU switch: accepted (as a boolean) and ignored — `trainer` and `backend` choose where training runs. */
export const USEGPU_DOC = 'DLE\'s GPU switch, accepted and ignored: nunatak trains on the CPU (--trainer, --backend)';

/** DLE spelling → nunatak key, for YAML files and flags. */
export const DLE_ALIASES: Record<string, keyof EmulatorOptions> = Object.fromEntries(
  Object.entries(EMULATOR_OPTION_DOCS).filter(([, d]) => d.dle).map(([k, d]) => [d.dle!, k as keyof EmulatorOptions]),
);

/** Every option's default (the schema's). */
export const EMULATOR_DEFAULTS: EmulatorOptions = emulatorOptionsSchema.parse({});

/** Validate raw options (from YAML, CLI or code); `source` names where they came from. DLE spellings (`thrice`, `usegpu`) are accepted. */
export function parseEmulatorOptions(raw: Record<string, unknown>, source = 'options'): EmulatorOptions {
  raw = { ...raw };
  for (const [dle, key] of Object.entries(DLE_ALIASES)) {
    if (raw[dle] === undefined) continue;
    if (raw[key] !== undefined) throw new NunatakError('CONFIG', `${source}: '${dle}' (DLE's name) and '${key}' are the same option, given twice`, { hint: `keep only '${key}'` });
    raw[key] = raw[dle];
    delete raw[dle];
  }
  if ('usegpu' in raw) {
    if (!bool.safeParse(raw.usegpu).success) throw new NunatakError('CONFIG', `${source}: option 'usegpu' = ${JSON.stringify(raw.usegpu)}: expected true or false`);
    delete raw.usegpu;
  }
  for (const k of Object.keys(raw)) {
    if (!(OPTION_NAMES as string[]).includes(k)) {
      throw new NunatakError('CONFIG', `${source}: unknown emulator option '${k}'${didYouMean(k, OPTION_NAMES)}`, {
        hint: `known options: ${OPTION_NAMES.join(', ')}`,
      });
    }
  }
  const r = emulatorOptionsSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues[0];
    const key = iss.path.join('.');
    throw new NunatakError('CONFIG', `${source}: option '${key}' = ${JSON.stringify(raw[key])}: ${iss.message}`, {
      hint: 'see `nunatak emulator train --help` or docs/emulator.md for every option and its default',
    });
  }
  return r.data;
}

/** Read a YAML options file (a flat mapping of option: value). */
export function readOptionsYaml(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new NunatakError('IO', `cannot read emulator options file ${file}: ${(e as Error).message}`, { cause: e });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new NunatakError('CONFIG', `${file}: expected a mapping of option: value`);
  }
  return doc as Record<string, unknown>;
}

/** YAML file values overridden by command-line values (undefined CLI values are ignored). */
export function mergeOptionSources(yaml: Record<string, unknown>, cli: Record<string, unknown>): Record<string, unknown> {
  const out = { ...yaml };
  for (const [k, v] of Object.entries(cli)) if (v !== undefined) out[k] = v;
  return out;
}

/** Python's `str(float)`: `1.0`, `0.5`, `1e-05`, `1e+16` (DLE writes `resample_data`, a float, this way). */
export function pythonFloatStr(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/**
 * DLE's results folder name, exactly as DLE's `initialize()` builds it:
 * `<dataset'>+MAPTY-<maptype>+NETWO-<network>+CONVS-<k>+DEPTH-<layers|blocks>+NBFIL-<f>+EPOCH-<e>+RSAMP-<r>+TESTI-<0|1>`,
 * with `r` as Python prints a float (`1.0`) and, when `resample_data` ≠ 1,
 * the dataset's trailing `_<resolution>` replaced by int(resample_data · resolution)
 * (`cfsflow_100`, resample 2 → `cfsflow_200`). So an existing DLE results
 * folder is found (train false). A maptype folder contributes its base name
 * (DLE pastes the whole path, which nests folders).
 */
export function resultsFolderName(o: EmulatorOptions): string {
  const mapty = o.maptype.split(/[\\/]/).filter(Boolean).pop() ?? o.maptype;
  const depth = o.network === 'cnn' ? o.nb_layers : o.nb_blocks;
  let dataset = o.dataset;
  if (o.resample_data !== 1) {
    const parts = o.dataset.split('_');
    const res = parts.length > 1 ? Number(parts.at(-1)) : NaN;
    if (!Number.isInteger(res)) {
      throw new NunatakError('CONFIG', `resample_data = ${o.resample_data} needs a dataset name ending _<resolution>, as DLE names the results folder by the new resolution; got '${o.dataset}'`, {
        hint: "rename the dataset folder, e.g. 'cfsflow_100' (100 m data)",
      });
    }
    parts[parts.length - 1] = String(Math.trunc(o.resample_data * res));
    dataset = parts.join('_');
  }
  return (
    `${dataset}+MAPTY-${mapty}+NETWO-${o.network}+CONVS-${o.conv_ker_size}+DEPTH-${depth}` +
    `+NBFIL-${o.nb_out_filter}+EPOCH-${o.epochs}+RSAMP-${pythonFloatStr(o.resample_data)}+TESTI-${o.include_test_in_train ? 1 : 0}`
  );
}

/** The run-parameters dump, DLE's `"%30s : %s"` per option. */
export function formatRunParameters(o: EmulatorOptions): string {
  return OPTION_NAMES.map((k) => `${k.padStart(30)} : ${String(o[k])}`).join('\n') + '\n';
}
