/**
 * `nunatak check` for a hybrid config: the user's files it names (process
 * model, NN, loss) are type-checked against nunatak's types and against their
 * contracts (`ProcessModel`, `Parameteriser`, `LossFunction` — a class, a
 * factory or an object for the first two), reported at the user's file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { VirtualFile } from '../core/plugins/index.js';
import { isCodeRef, resolveCodeRef } from './train/config.js';

interface Contract {
  key: string;
  imports: string;
  want: string;
  what: string;
}

const CONTRACTS: Contract[] = [
  {
    key: 'model.phy.model',
    imports: 'ProcessModel, ProcessModelOptions',
    want: '(new (o: ProcessModelOptions) => ProcessModel<any>) | ((o: ProcessModelOptions) => ProcessModel<any>) | ProcessModel<any>',
    what: 'process model (ProcessModel: name, paramNames, bounds, dynamic, run, spinUp)',
  },
  {
    key: 'model.nn.model',
    imports: 'Parameteriser, ParameteriserOptions',
    want: '(new (o: ParameteriserOptions) => Parameteriser) | ((o: ParameteriserOptions) => Parameteriser) | Parameteriser',
    what: 'NN (Parameteriser: kind, variables, forward)',
  },
  { key: 'train.loss', imports: 'LossFunction', want: 'LossFunction', what: 'loss ((pred, obs, mask, ctx) => a one-element tensor)' },
];

/** The user-file entries (absolute, `#export` kept) of a raw hybrid config, by key. */
export function hybridCodeRefs(raw: unknown, configFile: string): Map<string, string> {
  const r = (raw ?? {}) as { model?: { phy?: { model?: unknown }; nn?: { model?: unknown } }; train?: { loss?: unknown } };
  const out = new Map<string, string>();
  const base = dirname(resolve(configFile));
  for (const [key, v] of [['model.phy.model', r.model?.phy?.model], ['model.nn.model', r.model?.nn?.model], ['train.loss', r.train?.loss]] as const) {
    if (typeof v === 'string' && isCodeRef(v)) out.set(key, resolveCodeRef(v, base));
  }
  return out;
}

/** True when a YAML file looks like a hybrid config (a `model.phy` or `model.nn` section). */
export function isHybridConfig(file: string): boolean {
  try {
    const raw = parse(readFileSync(file, 'utf8')) as { model?: { phy?: unknown; nn?: unknown } } | null;
    return typeof raw?.model?.phy === 'object' || typeof raw?.model?.nn === 'object';
  } catch {
    return false;
  }
}

/** The user's files a hybrid config names and the contract files that check them. */
export function hybridCheckFiles(configFile: string): { files: string[]; virtual: VirtualFile[] } {
  const refs = hybridCodeRefs(parse(readFileSync(configFile, 'utf8')), configFile);
  const files: string[] = [];
  const virtual: VirtualFile[] = [];
  for (const c of CONTRACTS) {
    const ref = refs.get(c.key);
    if (!ref) continue;
    const [file, exp] = ref.split('#') as [string, string | undefined];
    if (!existsSync(file)) continue; // the run reports a missing file
    files.push(file);
    // no default export and no #name: the run takes the only class/function; only the types are checked here
    const pick = exp ? `typeof m['${exp}']` : 'typeof m extends { default: infer D } ? D : Expected';
    const text = [
      `import * as m from './${basename(file)}';`,
      `import type { ${c.imports} } from 'nunatak/hybrid';`,
      `type Expected = ${c.want};`,
      `declare const value: ${pick};`,
      'export const contract: Expected = value;',
    ].join('\n');
    virtual.push({
      // one per file, export and key (two configs may name the same file differently)
      path: join(dirname(file), `__nunatak_contract_${`${basename(file)}_${exp ?? 'default'}_${c.key}`.replace(/[^\w]/g, '_')}.ts`),
      text,
      reportAt: { file, line: 1, column: 1 },
      prefix: `${c.key}: ${exp ? `export '${exp}'` : 'the default export'} is not a ${c.what}: `,
    });
  }
  return { files, virtual };
}
