/**
 * The user's own process model, NN and loss, named by file in a hybrid config
 * (`model.phy.model`, `model.nn.model`, `train.loss`: `./my_model.ts` or
 * `./my_model.ts#ExportName`), loaded through the shared user-code loader —
 * any folder, no package.json, .ts/.mts/.js/.mjs, `nunatak/...` imports bound
 * to the running nunatak — and checked against their contracts before a run.
 *
 * Which export: the one after `#`; else the default export; else the only
 * exported class (process model, NN) or function (loss), the way δMG picks a
 * model class from its file. A class is constructed with the options of its
 * contract, a (non-class) function for the process model or NN is called with
 * them as a factory, and an object is used as it is.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';
import { log } from '../core/log.js';
import { resolveEntrypoint } from '../core/plugins/index.js';
import { checkLossFunction, checkParameteriser, checkProcessModel } from './contracts.js';
import type { Parameteriser, ParameteriserOptions } from './nn/types.js';
import type { ProcessModel, ProcessModelOptions } from './process.js';
import { isCodeRef, type HybridConfig } from './train/config.js';
import type { LossFunction } from './train/losses.js';

/** What a config's user files provide; absent members are built-ins. */
export interface UserComponents {
  /** The constructed and checked process model. */
  phy?: ProcessModel;
  /** Builds and checks the NN once the input sizes are known. */
  nn?: (o: ParameteriserOptions) => Parameteriser;
  loss?: LossFunction;
  /** file#export of the loss, for error messages */
  lossWhere?: string;
}

/** The model and loss entries a checkpoint records, with the SHA-1 of each user file. */
export interface ComponentRecord {
  phy: string;
  nn: string;
  loss?: string;
  sha1: Record<string, string>;
}

const isClass = (v: unknown): boolean => typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));
const fileOf = (ref: string): string => ref.split('#')[0]!;

/** The value `ref` names (see the module doc for which export), with `where` = key: file#export. */
async function loadRef(ref: string, key: string, want: 'class' | 'function'): Promise<{ value: unknown; where: string }> {
  let r;
  try {
    r = await resolveEntrypoint<unknown>(ref, { baseDir: process.cwd() });
  } catch (e) {
    if (!(e instanceof NunatakError)) throw e;
    const hint = /file not found/.test(e.message) ? 'a relative path is taken from the folder of the config file' : e.hint;
    throw new NunatakError(e.code, `${key} ${e.message}`, { hint, cause: e.cause });
  }
  if (r.exportName !== '*') return { value: r.value, where: `${key} ${r.file}${r.exportName === 'default' ? '' : `#${r.exportName}`}` };
  const ns = r.value as Record<string, unknown>;
  const fits = Object.keys(ns).filter((k) => (want === 'class' ? isClass(ns[k]) : typeof ns[k] === 'function' && !isClass(ns[k])));
  if (fits.length === 1) return { value: ns[fits[0]!], where: `${key} ${r.file}#${fits[0]}` };
  const names = Object.keys(ns);
  throw new NunatakError('PLUGIN', `${key} ${r.file}: no default export and ${fits.length === 0 ? `no exported ${want}` : `${fits.length} exported ${want === 'class' ? 'classes' : 'functions'} (${fits.join(', ')})`} to take`, {
    hint: `export default your ${want}, or name the export in the config: ${key}: ${fileOf(ref)}#${(fits[0] ?? names[0]) ?? 'Name'} (exports: ${names.join(', ') || 'none'})`,
  });
}

/** A class is constructed, a plain function called as a factory, anything else used as it is. */
function instantiate(value: unknown, options: unknown, where: string): unknown {
  try {
    if (isClass(value)) return new (value as new (o: unknown) => unknown)(options);
    if (typeof value === 'function') return (value as (o: unknown) => unknown)(options);
    return value;
  } catch (e) {
    throw new NunatakError('PLUGIN', `${where}: ${isClass(value) ? 'the constructor' : 'the factory function'} threw: ${(e as Error)?.message ?? String(e)}`, { hint: 'fix the error in that file', cause: e });
  }
}

/** Loads and checks the user files a config names (nothing for built-ins). */
export async function loadUserComponents(cfg: HybridConfig): Promise<UserComponents> {
  const m = cfg.model;
  const out: UserComponents = {};
  if (isCodeRef(m.phy.model)) {
    const { value, where } = await loadRef(m.phy.model, 'model.phy.model', 'class');
    const opts: ProcessModelOptions = { nmul: m.phy.nmul, dynamicParams: m.phy.dynamic_params, options: m.phy.options ?? {} };
    out.phy = checkProcessModel(instantiate(value, opts, where), where, m.phy.dynamic_params);
  } else if (m.phy.options) {
    throw new NunatakError('CONFIG', `model.phy.options is for your own process model file; the built-in '${m.phy.model}' takes none`);
  }
  if (isCodeRef(m.nn.model)) {
    const { value, where } = await loadRef(m.nn.model, 'model.nn.model', 'class');
    out.nn = (o) => checkParameteriser(instantiate(value, o, where), where, o);
  } else if (m.nn.options) {
    throw new NunatakError('CONFIG', `model.nn.options is for your own NN file; the built-in '${m.nn.model}' takes none`);
  }
  if (cfg.train && isCodeRef(cfg.train.loss)) {
    const { value, where } = await loadRef(cfg.train.loss, 'train.loss', 'function');
    out.loss = checkLossFunction(value, where);
    out.lossWhere = where;
  }
  return out;
}

function sha1(file: string): string | undefined {
  return existsSync(file) ? createHash('sha1').update(readFileSync(file)).digest('hex') : undefined;
}

/** What the checkpoints of `cfg` record about its model and loss. */
export function componentRecord(cfg: HybridConfig): ComponentRecord {
  const rec: ComponentRecord = { phy: cfg.model.phy.model, nn: cfg.model.nn.model, loss: cfg.train?.loss, sha1: {} };
  for (const ref of [rec.phy, rec.nn, rec.loss]) {
    const h = ref && isCodeRef(ref) ? sha1(fileOf(ref)) : undefined;
    if (h) rec.sha1[fileOf(ref!)] = h;
  }
  return rec;
}

const label = (ref: string): string => (isCodeRef(ref) ? ref.replace(/^.*[\\/]/, '') : ref);

/**
 * Test/simulate with a checkpoint: the config must name the process model and
 * NN it was trained with (the same file name and export; the folder may have
 * moved); a user file changed since training is a warning.
 */
export function checkRecorded(rec: ComponentRecord | undefined, cfg: HybridConfig, where: string): void {
  if (!rec) return; // checkpoints written before files were recorded
  for (const [key, was, now] of [['model.phy.model', rec.phy, cfg.model.phy.model], ['model.nn.model', rec.nn, cfg.model.nn.model]] as const) {
    if (label(was) !== label(now)) {
      throw new NunatakError('CONFIG', `${where} was trained with ${key} ${was}, the config names ${now}`, { hint: `set ${key}: ${was} to use this checkpoint, or train again` });
    }
    if (isCodeRef(now)) {
      const before = rec.sha1[fileOf(was)], after = sha1(fileOf(now));
      if (before && after && before !== after) log.warn(`${fileOf(now)} changed since ${where} was trained with it`);
    }
  }
}
