/**
 * Parameters a module reads must be declared in its YAML: the engine hands
 * modules a view of the config in which every selected module's parameter
 * group (`cfg.<kind>.<name>`) is a Proxy that throws a CONFIG error on a key
 * the group does not hold — naming the module whose code is running, the
 * group, the key and the file:line of the read (from the stack). Reading an
 * undeclared key otherwise yields `undefined`, and `undefined` in arithmetic
 * is a silent NaN. `in`, `Object.keys`, JSON and symbol / Object.prototype
 * properties are left alone, so a module can still test for a key.
 */
import { fileURLToPath } from 'node:url';
import { NunatakError, didYouMean } from '../core/errors.js';
import type { ConfigTree } from '../core/config/index.js';
import type { SimConfig } from './contract.js';

/** Who is running now (set by the engine around each lifecycle call). */
export interface ParamReader {
  current?: { kind: string; name: string; source: string };
}

/** Properties that generic code (JSON, promises, inspectors) probes on any object. */
const PROBED = new Set(['toJSON', 'then', 'inspect', 'nodeType', 'asymmetricMatch', '$$typeof', '__proto__']);
const THIS_FILE = fileURLToPath(import.meta.url);

/** The first stack frame outside this file: `file:line:col`. */
function callerLocation(): string | undefined {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  for (const l of lines) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(l.trim());
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (file === THIS_FILE || file.startsWith('node:')) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function strictGroup(group: ConfigTree, kind: string, name: string, yaml: (kind: string, name: string) => string, reader: ParamReader): ConfigTree {
  return new Proxy(group, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target || PROBED.has(key)) return Reflect.get(target, key, receiver);
      const at = callerLocation();
      const who = reader.current ? `${reader.current.kind} module '${reader.current.name}'` : 'the simulation';
      throw new NunatakError('CONFIG', `${who} reads parameter ${kind}.${name}.${key}, which ${yaml(kind, name)} does not define${at ? ` (at ${at})` : ''}${didYouMean(key, Object.keys(target))}`, {
        hint: `declare '${key}' with a default in ${yaml(kind, name)}, or fix the name (defined: ${Object.keys(target).join(', ') || 'none'})`,
      });
    },
  });
}

/**
 * The config as modules see it: each selected module's group strict (see
 * above), everything else as it is. `yaml(kind, name)` names the defaults
 * file for the message.
 */
export function strictParams(cfg: SimConfig, selection: Record<string, string[]>, yaml: (kind: string, name: string) => string, reader: ParamReader): SimConfig {
  const out: SimConfig = { ...cfg };
  for (const [kind, names] of Object.entries(selection)) {
    const groups = cfg[kind];
    if (groups === null || typeof groups !== 'object' || Array.isArray(groups)) continue;
    const view: ConfigTree = { ...(groups as ConfigTree) };
    for (const name of names) {
      const g = view[name];
      if (g !== null && typeof g === 'object' && !Array.isArray(g)) view[name] = strictGroup(g as ConfigTree, kind, name, yaml, reader);
    }
    out[kind] = view;
  }
  return out;
}
