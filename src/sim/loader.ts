/**
 * Loads the selected modules: built-ins from the registry, user modules
 * (`user/code/<kind>/<name>.ts`) by path. A user module named like a built-in
 * replaces it (the catalogue records that). Each module must export the
 * lifecycle functions of its kind, as a default export object or as named
 * exports.
 */
import { isAbsolute } from 'node:path';
import { NunatakError, didYouMean } from '../core/errors.js';
import type { ConfigCatalog } from '../core/config/index.js';
import { resolveEntrypoint } from '../core/plugins/index.js';
import { LIFECYCLE, MODULE_KINDS, type ModuleKind, type SimModule } from './contract.js';
import { BUILTINS } from './modules/registry.js';

export interface LoadedModule {
  kind: ModuleKind;
  name: string;
  origin: 'builtin' | 'user';
  /** File the code came from (built-in: the registry name). */
  source: string;
  module: SimModule;
}

/** Checks the lifecycle functions; names the file and what is missing. */
export function checkLifecycle(kind: ModuleKind, name: string, source: string, m: unknown): SimModule {
  if (m === null || typeof m !== 'object') {
    throw new NunatakError('PLUGIN', `${kind} module '${name}' (${source}) does not export a module object`, {
      hint: `export ${LIFECYCLE[kind].join(', ')} (or a default object with them)`,
    });
  }
  const missing = LIFECYCLE[kind].filter((f) => typeof (m as Record<string, unknown>)[f] !== 'function');
  if (missing.length > 0) {
    const what = missing.map((f) => `${f}(cfg, state)`).join(', ');
    throw new NunatakError('PLUGIN', `${kind} module '${name}' (${source}) is missing ${what}`, {
      hint: `${kind} modules export ${LIFECYCLE[kind].join(', ')}; write an empty function when there is nothing to do`,
    });
  }
  return m as SimModule;
}

/** Loads one module named in `kind` of the catalogue. */
export async function loadModule(catalog: ConfigCatalog, kind: ModuleKind, name: string): Promise<LoadedModule> {
  const entry = catalog.entry(kind, name);
  const code = entry.code ?? name;
  if (isAbsolute(code)) {
    const r = await resolveEntrypoint<unknown>(code, { expect: { type: 'object', methods: [] } });
    try {
      return { kind, name, origin: 'user', source: r.file, module: checkLifecycle(kind, name, r.file, r.value) };
    } catch (e) {
      // A user's file: offer the check that finds this (and type errors) before a run.
      const err = e as NunatakError;
      throw new NunatakError(err.code, err.message, { hint: `${err.hint}; \`nunatak check ${r.file}\` checks the file against the contract`, cause: e });
    }
  }
  const load = BUILTINS[kind].get(code);
  if (!load) {
    throw new NunatakError('NOT_FOUND', `${kind} module '${name}' has no code${didYouMean(code, BUILTINS[kind].names())}`, {
      hint: `write user/code/${kind}/${name}.ts next to the experiment, or pick one of: ${BUILTINS[kind].names().join(', ')}`,
    });
  }
  const ns = (await load()) as { default?: unknown };
  const m = ns.default ?? ns;
  return { kind, name, origin: entry.origin, source: `built-in ${kind}/${code}`, module: checkLifecycle(kind, name, `built-in ${kind}/${code}`, m) };
}

/** Loads every selected module, kind by kind, in list order. */
export async function loadModules(catalog: ConfigCatalog, selection: Record<string, string[]>): Promise<LoadedModule[]> {
  const out: LoadedModule[] = [];
  for (const kind of MODULE_KINDS) for (const name of selection[kind] ?? []) out.push(await loadModule(catalog, kind, name));
  return out;
}
