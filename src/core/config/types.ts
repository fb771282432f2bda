/**
 * Config schema types. A module's defaults file is a tree of groups whose
 * leaves are parameter specs: `{value, type, units, help}` plus `choices`
 * (enum), `items` (list) and `nullable`.
 */

/** Parameter types a defaults file may declare. */
export type ParamType = 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'list';

/** Element types of a `list` parameter. */
export type ItemType = 'number' | 'integer' | 'boolean' | 'string';

export const PARAM_TYPES: readonly ParamType[] = ['number', 'integer', 'boolean', 'string', 'enum', 'list'];
export const ITEM_TYPES: readonly ItemType[] = ['number', 'integer', 'boolean', 'string'];

/** One parameter: its type, units ('' or '1' when dimensionless), help line and default. */
export interface ParamSpec {
  kind: 'param';
  type: ParamType;
  units: string;
  help: string;
  default: ConfigValue;
  /** Allowed values of an enum. */
  choices?: string[];
  /** Element type of a list. */
  items?: ItemType;
  /** Whether `null` is allowed (e.g. an optional crop box). */
  nullable?: boolean;
  /** Where the spec was declared: file and 1-based line. */
  file?: string;
  line?: number;
}

/** A nested group of parameters. */
export interface SchemaGroup {
  kind: 'group';
  children: Map<string, SchemaNode>;
}

export type SchemaNode = ParamSpec | SchemaGroup;

export type ConfigScalar = number | boolean | string | null;
export type ConfigValue = ConfigScalar | ConfigScalar[] | ConfigTree | ConfigValue[];
/** A plain config object (what modules read). */
export interface ConfigTree {
  [key: string]: ConfigValue;
}

export function newGroup(): SchemaGroup {
  return { kind: 'group', children: new Map() };
}

export function isTree(v: unknown): v is ConfigTree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Dotted display form of a key path. */
export function dotted(path: readonly (string | number)[]): string {
  return path.join('.');
}

/** Deep copy of a config value (plain JSON-like data). */
export function cloneValue<T extends ConfigValue>(v: T): T {
  return structuredClone(v);
}

/** Human form of a spec's type, e.g. `list of number`, `enum (a|b)`, `number or null`. */
export function describeType(spec: ParamSpec): string {
  let t: string = spec.type;
  if (spec.type === 'enum') t = `enum (${(spec.choices ?? []).join('|')})`;
  if (spec.type === 'list') t = `list of ${spec.items}`;
  return spec.nullable ? `${t} or null` : t;
}
