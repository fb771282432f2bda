/**
 * Loader for a module's defaults file. Every leaf is a spec
 * `key: {value: 78, type: number, units: "MPa-3 a-1", help: "Arrhenius factor"}`;
 * any other mapping is a nested group. A mapping is a spec when its `type` is a
 * string, so a group may still hold a parameter called `type` (as a spec).
 */
import { NunatakError } from '../errors.js';
import { coerceValue } from './coerce.js';
import { YamlSource } from './yaml-source.js';
import {
  ITEM_TYPES,
  PARAM_TYPES,
  dotted,
  isTree,
  newGroup,
  type ConfigTree,
  type ItemType,
  type ParamSpec,
  type ParamType,
  type SchemaGroup,
} from './types.js';

/** Defaults object and schema of one module (or config section). */
export interface ModuleDefaults {
  defaults: ConfigTree;
  schema: SchemaGroup;
  file: string;
}

const SPEC_KEYS = new Set(['value', 'type', 'units', 'help', 'choices', 'items', 'nullable']);

function isSpec(v: unknown): v is Record<string, unknown> {
  return isTree(v) && typeof (v as Record<string, unknown>).type === 'string';
}

/** Parses a defaults file into its defaults and schema; malformed specs fail with file:line. */
export function loadModuleDefaults(file: string): ModuleDefaults {
  return parseModuleDefaults(YamlSource.read(file));
}

export function parseModuleDefaults(src: YamlSource): ModuleDefaults {
  const data = src.data ?? {};
  if (!isTree(data)) {
    throw new NunatakError('CONFIG', `${src.where([])}: a defaults file must be a mapping of parameters`, {
      hint: 'write `key: {value: …, type: …, units: …, help: …}` entries',
    });
  }
  const defaults: ConfigTree = {};
  const schema = walkGroup(src, data, [], defaults);
  return { defaults, schema, file: src.file };
}

function walkGroup(src: YamlSource, data: ConfigTree, path: string[], out: ConfigTree): SchemaGroup {
  const group = newGroup();
  for (const [key, v] of Object.entries(data)) {
    const p = [...path, key];
    if (isSpec(v)) {
      const spec = readSpec(src, v, p);
      group.children.set(key, spec);
      out[key] = spec.default;
    } else if (isTree(v)) {
      const sub: ConfigTree = {};
      group.children.set(key, walkGroup(src, v, p, sub));
      out[key] = sub;
    } else {
      throw new NunatakError('CONFIG', `${src.where(p)}: ${dotted(p)} has no spec (found ${JSON.stringify(v)})`, {
        hint: `write ${key}: {value: ${JSON.stringify(v)}, type: …, units: …, help: …}`,
      });
    }
  }
  return group;
}

function readSpec(src: YamlSource, v: Record<string, unknown>, p: string[]): ParamSpec {
  const key = dotted(p);
  const fail = (msg: string, hint: string): never => {
    throw new NunatakError('CONFIG', `${src.where(p)}: ${key}: ${msg}`, { hint });
  };
  for (const k of Object.keys(v)) {
    if (!SPEC_KEYS.has(k)) fail(`unknown spec field '${k}'`, `spec fields are ${[...SPEC_KEYS].join(', ')}`);
  }
  const type = v.type as string;
  if (!PARAM_TYPES.includes(type as ParamType)) fail(`unknown type '${type}'`, `types are ${PARAM_TYPES.join(', ')}`);
  if (typeof v.help !== 'string' || v.help.trim() === '') fail('missing help', 'add `help: "<one line>"`');
  if (typeof v.units !== 'string' && typeof v.units !== 'number') {
    fail('missing units', 'add `units: "…"` (use "1" for dimensionless, "" for non-physical values)');
  }
  if (!('value' in v)) fail('missing value', 'add `value: <default>` (null when nullable)');
  const spec: ParamSpec = {
    kind: 'param',
    type: type as ParamType,
    units: String(v.units),
    help: v.help as string,
    default: null,
    nullable: v.nullable === true,
    file: src.file,
    line: src.lineOf(p),
  };
  if (spec.type === 'enum') {
    if (!Array.isArray(v.choices) || v.choices.length === 0) fail('enum without choices', 'add `choices: [a, b]`');
    spec.choices = (v.choices as unknown[]).map(String);
  }
  if (spec.type === 'list') {
    if (!ITEM_TYPES.includes(v.items as ItemType)) fail(`list needs items: one of ${ITEM_TYPES.join(', ')}`, 'add `items: number`');
    spec.items = v.items as ItemType;
  }
  spec.default = coerceValue(spec, v.value, { where: src.where([...p, 'value']), key });
  return spec;
}
