/**
 * The `optimize` module's option specs (type, units, default, help), read from
 * its defaults YAML: one source for the module, `nunatak invert` and its
 * --help. Light on purpose (core/config only), so the CLI can list them at start-up.
 */
import { loadModuleDefaults, type ParamSpec } from '../../core/config/index.js';
import { builtinDefaultsFile } from '../modules/registry.js';

/** Option name → spec, in file order; `write`, `obs_file`, `smb_field` and `apparent_mb` (state fields) belong to the module only. */
export function invertOptionSpecs(): [string, ParamSpec][] {
  const d = loadModuleDefaults(builtinDefaultsFile('processes', 'optimize'));
  const moduleOnly = new Set(['write', 'obs_file', 'smb_field', 'apparent_mb']);
  return [...d.schema.children].filter(([k, s]) => s.kind === 'param' && !moduleOnly.has(k)) as [string, ParamSpec][];
}
