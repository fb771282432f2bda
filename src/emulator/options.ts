/**
 * Emulator training options: every DLE (`jouvetg/dle`) option with DLE's
 * default, validated with zod. Values come from a YAML file and/or the command
 * line (command line wins). DLE's `--thrice` is called `thr_ice` here and its
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
    /** Tensor backend for training. */
    backend: z.enum(['wasm', 'cpu']).default('cpu'),
  })
  .strict();

export type EmulatorOptions = z.output<typeof emulatorOptionsSchema>;
export type EmulatorOptionsInput = z.input<typeof emulatorOptionsSchema>;

export const OPTION_NAMES = Object.keys(emulatorOptionsSchema.shape) as Array<keyof EmulatorOptions>;

/** Validate raw options (from YAML, CLI or code); `source` names where they came from. */
export function parseEmulatorOptions(raw: Record<string, unknown>, source = 'options'): EmulatorOptions {
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
      hint: 'see docs/emulator.md for every option and its default',
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

/** DLE's results folder name: `<dataset>+MAPTY-…+TESTI-<0|1>` (maptype folders use their base name). */
export function resultsFolderName(o: EmulatorOptions): string {
  const mapty = o.maptype.split(/[\\/]/).filter(Boolean).pop() ?? o.maptype;
  const depth = o.network === 'cnn' ? o.nb_layers : o.nb_blocks;
  return (
    `${o.dataset}+MAPTY-${mapty}+NETWO-${o.network}+CONVS-${o.conv_ker_size}+DEPTH-${depth}` +
    `+NBFIL-${o.nb_out_filter}+EPOCH-${o.epochs}+RSAMP-${o.resample_data}+TESTI-${o.include_test_in_train ? 1 : 0}`
  );
}

/** The run-parameters dump, DLE's `"%30s : %s"` per option. */
export function formatRunParameters(o: EmulatorOptions): string {
  return OPTION_NAMES.map((k) => `${k.padStart(30)} : ${String(o[k])}`).join('\n') + '\n';
}
