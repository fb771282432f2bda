/**
 * The `nunatak hybrid` YAML config (δMG-like sections). Unknown keys are
 * errors with a did-you-mean suggestion; dates are YYYY-MM-DD. The process
 * model, the NN and the loss are a built-in name or the user's own file
 * (`./my_model.ts`, `./my_model.ts#MyModel`), relative to the config.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { NunatakError, didYouMean } from '../../core/errors.js';

export const PHY_MODELS = ['hbv1.0', 'hbv1.1p', 'hbv2.0', 'none'];
export const NN_MODELS = ['lstm', 'mlp', 'lstm_mlp', 'calibration', 'none'];
export const LOSS_NAMES = ['rmse', 'rmse_comb', 'nse_star', 'kge'];

/**
 * True when a model or loss entry names a user's file rather than a built-in:
 * a path (`./x.ts`, `../x.mjs`, `/abs/x.ts`, `file:///…`) or a name ending in
 * .ts/.mts/.cts/.js/.mjs/.cjs, optionally followed by `#ExportName`.
 */
export function isCodeRef(s: string): boolean {
  const path = s.split('#')[0]!;
  return /^(\.{1,2}\/|\/|file:)/.test(path) || /\.[cm]?[jt]s$/.test(path);
}

/** `ref` with its file made absolute against `base` (the `#export` kept). */
export function resolveCodeRef(ref: string, base: string): string {
  const i = ref.indexOf('#');
  const path = i < 0 ? ref : ref.slice(0, i);
  const abs = path.startsWith('file:') ? fileURLToPath(path) : isAbsolute(path) ? path : resolve(base, path);
  return abs + (i < 0 ? '' : ref.slice(i));
}

/** A built-in name from `names`, or the user's file. */
function builtinOrFile(names: string[], example: string) {
  return z.string().superRefine((s, ctx) => {
    if (names.includes(s) || isCodeRef(s)) return;
    ctx.addIssue({ code: 'custom', message: `is '${s}': expected one of ${names.join(', ')}${didYouMean(s, names)}, or your own file relative to the config (${example})` });
  });
}
const options = z.record(z.string(), z.unknown()).optional();

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const period = z.strictObject({ start: date, end: date });

const schedule = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('step'), step_size: z.number().int().positive(), gamma: z.number().positive() }),
  z.strictObject({ type: z.literal('exponential'), gamma: z.number().positive() }),
  z.strictObject({ type: z.literal('cosine'), t_max: z.number().positive(), eta_min: z.number().nonnegative().optional() }),
]);

export const configSchema = z.strictObject({
  seed: z.number().int().default(111111),
  save_path: z.string(),
  backend: z.enum(['wasm', 'cpu']).optional(),
  data: z.strictObject({
    source: z.enum(['camels_us', 'synthetic']).default('camels_us'),
    path: z.string().optional(),
    basins: z.array(z.string()).optional(),
    attributes: z.array(z.string()).default([]),
    log_norm: z.array(z.string()).default(['prcp']),
    synthetic: z.strictObject({ basins: z.number().int().positive(), days: z.number().int().positive(), attributes: z.number().int().nonnegative().default(0), start: date.default('2000-01-01') }).optional(),
  }),
  model: z.strictObject({
    rho: z.number().int().positive().default(365),
    warm_up: z.number().int().nonnegative().default(365),
    warm_up_states: z.boolean().default(true),
    phy: z.strictObject({
      /** hbv1.0 | hbv1.1p | hbv2.0 | none, or a file exporting a ProcessModel class (or object). */
      model: builtinOrFile(PHY_MODELS, './my_model.ts or ./my_model.ts#MyModel').default('hbv1.0'),
      nmul: z.number().int().positive().default(16),
      dynamic_params: z.array(z.string()).default([]),
      routing: z.boolean().default(true),
      /** Fixed parameters (nn.model none): a CSV file or {basin id | default: {name: value}} in physical units. */
      parameters: z.union([z.string(), z.record(z.string(), z.record(z.string(), z.number()))]).optional(),
      /** Settings handed to the constructor of the user's process-model class. */
      options,
    }),
    nn: z.strictObject({
      /** lstm | mlp | lstm_mlp | calibration | none, or a file exporting a Parameteriser class (or object). */
      model: builtinOrFile(NN_MODELS, './my_nn.ts or ./my_nn.ts#MyNn').default('lstm'),
      hidden: z.number().int().positive().default(256),
      dropout: z.number().min(0).max(0.95).default(0.5),
      mlp_hidden: z.number().int().positive().default(64),
      mlp_layers: z.number().int().nonnegative().default(2),
      /** Settings handed to the constructor of the user's NN class. */
      options,
    }),
  }),
  train: z.strictObject({
    ...period.shape,
    epochs: z.number().int().positive(),
    batch_size: z.number().int().positive().default(100),
    iterations: z.number().int().positive().optional(),
    optimizer: z.enum(['adadelta', 'adam']).default('adadelta'),
    learning_rate: z.number().positive().default(1.0),
    lr_scheduler: schedule.default({ type: 'none' }),
    /** rmse | rmse_comb | nse_star | kge, or a file exporting a loss function (pred, obs, mask, ctx) → tf.Scalar. */
    loss: builtinOrFile(LOSS_NAMES, './my_loss.ts or ./my_loss.ts#myLoss').default('rmse_comb'),
    save_epoch: z.number().int().positive().default(1),
  }).optional(),
  test: z.strictObject({ ...period.shape, batch_size: z.number().int().positive().default(25), epoch: z.number().int().positive().optional() }).optional(),
  simulation: z.strictObject({ ...period.shape, batch_size: z.number().int().positive().default(25), epoch: z.number().int().positive().optional() }).optional(),
});

export type HybridConfig = z.infer<typeof configSchema>;

/** Known keys at a dotted path of the schema (for did-you-mean). */
function keysAt(path: (string | number)[]): string[] {
  let s: any = configSchema;
  for (const p of path) {
    while (s?.unwrap && !s.shape) s = s.unwrap();
    s = s?.shape?.[p];
  }
  while (s?.unwrap && !s.shape) s = s.unwrap();
  if (s?.options) return s.options.flatMap((o: any) => Object.keys(o.shape ?? {}));
  return Object.keys(s?.shape ?? {});
}

/** Validate a parsed config object; `where` names the file in errors. */
export function parseConfig(raw: unknown, where = 'config'): HybridConfig {
  const r = configSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as any;
  const at = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const full = at ? `${at}.${key}` : key;
    throw new NunatakError('CONFIG', `${where}: unknown key '${full}'${didYouMean(key, keysAt(issue.path))}`, { hint: `allowed here: ${keysAt(issue.path).join(', ')}` });
  }
  throw new NunatakError('CONFIG', `${where}: '${at || '(top level)'}' ${issue.message}`);
}

/** Read a YAML config; relative paths in it are resolved against the file's folder. */
export function loadConfig(file: string): HybridConfig {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `config file ${file} does not exist`);
  let raw: any;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new NunatakError('IO', `${file}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  const cfg = parseConfig(raw, file);
  const base = dirname(resolve(file));
  cfg.save_path = resolve(base, cfg.save_path);
  if (cfg.data.path) cfg.data.path = resolve(base, cfg.data.path);
  if (typeof cfg.model.phy.parameters === 'string') cfg.model.phy.parameters = resolve(base, cfg.model.phy.parameters);
  if (isCodeRef(cfg.model.phy.model)) cfg.model.phy.model = resolveCodeRef(cfg.model.phy.model, base);
  if (isCodeRef(cfg.model.nn.model)) cfg.model.nn.model = resolveCodeRef(cfg.model.nn.model, base);
  if (cfg.train && isCodeRef(cfg.train.loss)) cfg.train.loss = resolveCodeRef(cfg.train.loss, base);
  return cfg;
}
