/**
 * The `optimize` module's option specs (type, units, default, help), read from
 * its defaults YAML: one source for the module, `nunatak invert` and its
 * --help. Light on purpose (core/config only), so the CLI can list them at start-up.
 */
import { loadModuleDefaults, type ParamSpec } from '../../core/config/index.js';
import { builtinDefaultsFile } from '../modules/registry.js';

/** Option name → spec, in file order; `write` and `obs_file` belong to the module only. */
export function invertOptionSpecs(): [string, ParamSpec][] {
  const d = loadModuleDefaults(builtinDefaultsFile('processes', 'optimize'));
  return [...d.schema.children].filter(([k, s]) => s.kind === 'param' && k !== 'write' && k !== 'obs_file') as [string, ParamSpec][];
}
