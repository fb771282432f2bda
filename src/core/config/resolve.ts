/**
 * Layering: module and section defaults < experiment file < command-line
 * overrides (in the order given). Every key is checked against the schema of
 * the selected modules; unknown keys and type errors fail with the place,
 * key path, expected type and "did you mean".
 */
import { NunatakError, didYouMean } from '../errors.js';
import { configCatalog, type ConfigCatalog } from './catalog.js';
import { coerceValue } from './coerce.js';
import { readExperiment } from './experiment.js';
import { parseOverride, parseValue, splitSweep, type Override } from './overrides.js';
import { cloneValue, dotted, isTree, newGroup, type ConfigTree, type ConfigValue, type SchemaGroup, type SchemaNode } from './types.js';

export interface ResolveInput {
  /** Experiment YAML; optional (defaults + overrides only). */
  experimentFile?: string;
  /** Command-line overrides, applied in order. */
  overrides?: string[];
  /** Module catalogue; the process-wide `configCatalog` by default. */
  catalog?: ConfigCatalog;
}

export interface ResolvedConfig {
  /** kind → selected module names, in run order. */
  selection: Record<string, string[]>;
  /** The values: `{<kind>: {<module>: {...}}, <section>: {...}, <added keys>}`. */
  values: ConfigTree;
  /** Schema of `values` (added keys have none). */
  schema: SchemaGroup;
  /** Key paths added outside the schema (`+key`). */
  added: string[][];
  /** Overrides applied (for the record). */
  overrides: string[];
  experimentFile?: string;
}

/** Where a value came from, for messages. */
interface Place {
  where(path: readonly (string | number)[]): string;
}

const isAddedKey = (k: string): boolean => k.startsWith('+') && k.length > 1;

function unknownKey(place: Place, path: string[], known: Iterable<string>, parent: string): NunatakError {
  const key = path[path.length - 1];
  const names = [...known];
  return new NunatakError('CONFIG', `${place.where(path)}: unknown key '${dotted(path)}'${didYouMean(key, names)}`, {
    hint: `keys of ${parent || 'the config'}: ${names.join(', ') || '(none)'}; add a new key with +${dotted(path)}=…`,
  });
}

class Builder {
  readonly values: ConfigTree = {};
  readonly schema = newGroup();
  readonly added: string[][] = [];

  constructor(readonly catalog: ConfigCatalog, readonly selection: Record<string, string[]>) {
    for (const kind of catalog.kinds) {
      const kindValues: ConfigTree = {};
      const kindSchema = newGroup();
      for (const name of selection[kind]) {
        const d = catalog.moduleDefaults(kind, name);
        kindValues[name] = cloneValue(d.defaults);
        kindSchema.children.set(name, d.schema);
      }
      this.values[kind] = kindValues;
      this.schema.children.set(kind, kindSchema);
    }
    for (const s of catalog.sections) {
      const d = catalog.sectionDefaults(s);
      this.values[s] = cloneValue(d.defaults);
      this.schema.children.set(s, d.schema);
    }
  }

  private isAdded(path: string[]): boolean {
    return this.added.some((a) => a.length <= path.length && a.every((k, i) => k === path[i]));
  }

  /** Explains a missing child: an unselected module, or an unknown key. */
  private missing(place: Place, path: string[], group: SchemaGroup): NunatakError {
    const [kind, name] = path;
    if (path.length === 2 && this.catalog.kinds.includes(kind) && this.catalog.has(kind, name)) {
      return new NunatakError('CONFIG', `${place.where(path)}: ${dotted(path)} is set but '${name}' is not a selected ${kind} module`, {
        hint: `select it: defaults: [{override /${kind}: [${[...this.selection[kind], name].join(', ')}]}] or ${kind}=[…]`,
      });
    }
    if (path.length === 2 && this.catalog.kinds.includes(kind)) {
      return unknownKey(place, path, new Set([...group.children.keys(), ...this.catalog.names(kind)]), kind);
    }
    return unknownKey(place, path, group.children.keys(), dotted(path.slice(0, -1)));
  }

  /** Merges a mapping into `target`, checking it against `group`. `+key` entries add unchecked subtrees. */
  merge(target: ConfigTree, group: SchemaGroup | undefined, data: ConfigTree, path: string[], place: Place): void {
    for (const [rawKey, v] of Object.entries(data)) {
      if (isAddedKey(rawKey)) {
        const key = rawKey.slice(1);
        const p = [...path, key];
        if (group?.children.has(key)) {
          throw new NunatakError('CONFIG', `${place.where([...path, rawKey])}: '${dotted(p)}' is already a parameter; drop the '+'`, { hint: `write ${key}: …` });
        }
        target[key] = cloneValue(v);
        if (!this.isAdded(p)) this.added.push(p);
        continue;
      }
      const p = [...path, rawKey];
      const node = group?.children.get(rawKey);
      if (!node) {
        if (group === undefined || this.isAdded(p)) {
          target[rawKey] = cloneValue(v); // inside an added subtree: free-form
          continue;
        }
        throw this.missing(place, p, group);
      }
      if (node.kind === 'param') {
        target[rawKey] = coerceValue(node, v, { where: place.where(p), key: dotted(p) });
      } else {
        if (v === null) continue; // an empty `outputs:` section changes nothing
        if (!isTree(v)) {
          throw new NunatakError('CONFIG', `${place.where(p)}: ${dotted(p)} is a group, not a value (got ${JSON.stringify(v)})`, {
            hint: `set one of its keys: ${[...node.children.keys()].map((k) => `${dotted(p)}.${k}`).join(', ')}`,
          });
        }
        if (!isTree(target[rawKey])) target[rawKey] = {};
        this.merge(target[rawKey] as ConfigTree, node, v, p, place);
      }
    }
  }

  /** Applies one command-line override (selection overrides are applied earlier). */
  apply(o: Override): void {
    const place: Place = { where: () => `override '${o.text}'` };
    const parentPath = o.path.slice(0, -1);
    const key = o.path[o.path.length - 1];
    // walk to the parent; `+`/`++` may create groups outside the schema
    let target = this.values;
    let group: SchemaGroup | undefined = this.schema;
    let departure: string[] | undefined; // first path that leaves the schema
    for (let i = 0; i < parentPath.length; i++) {
      const k = parentPath[i];
      const p = o.path.slice(0, i + 1);
      const node: SchemaNode | undefined = group?.children.get(k);
      if (node?.kind === 'param') {
        throw new NunatakError('CONFIG', `${place.where(p)}: ${dotted(p)} is a parameter, not a group`, { hint: `set it with ${dotted(p)}=…` });
      }
      if (!node && group && departure === undefined) departure = p;
      if (!isTree(target[k])) {
        if (!node && o.op !== 'add' && o.op !== 'force') {
          throw group ? this.missing(place, p, group) : unknownKey(place, p, Object.keys(target), dotted(parentPath.slice(0, i)));
        }
        target[k] = {};
      }
      target = target[k] as ConfigTree;
      group = node?.kind === 'group' ? node : undefined;
    }
    const node = group?.children.get(key);
    const exists = key in target;
    if (o.op === 'delete') {
      if (node) {
        throw new NunatakError('CONFIG', `${place.where(o.path)}: ${dotted(o.path)} is a schema parameter and cannot be deleted`, {
          hint: '~ deletes keys added with +; set the parameter to another value instead',
        });
      }
      if (!exists) throw unknownKey(place, o.path, Object.keys(target), dotted(parentPath));
      delete target[key];
      for (let i = this.added.length - 1; i >= 0; i--) {
        const a = this.added[i];
        if (a.length >= o.path.length && o.path.every((k, j) => k === a[j])) this.added.splice(i, 1);
      }
      return;
    }
    const value = parseValue(o.raw!);
    if (o.op === 'add' || (o.op === 'force' && !node && !exists)) {
      if (node || exists) {
        throw new NunatakError('CONFIG', `${place.where(o.path)}: ${dotted(o.path)} already exists; '+' adds new keys only`, {
          hint: `write ${dotted(o.path)}=${o.raw} to set it (or ++ to add or set)`,
        });
      }
      target[key] = value as ConfigValue;
      const p = departure ?? o.path;
      if (!this.isAdded(p)) this.added.push(p);
      return;
    }
    if (!node) {
      if (exists && (group === undefined || this.isAdded(o.path))) {
        target[key] = value as ConfigValue;
        return;
      }
      throw group ? this.missing(place, o.path, group) : unknownKey(place, o.path, Object.keys(target), dotted(parentPath));
    }
    if (node.kind === 'param') target[key] = coerceValue(node, value, { where: place.where(o.path), key: dotted(o.path) });
    else if (isTree(value)) this.merge(target[key] as ConfigTree, node, value, o.path, place);
    else {
      throw new NunatakError('CONFIG', `${place.where(o.path)}: ${dotted(o.path)} is a group, not a value`, {
        hint: `set one of its keys: ${[...node.children.keys()].map((k) => `${dotted(o.path)}.${k}`).join(', ')}`,
      });
    }
  }
}

function selectionOverride(o: Override, kinds: string[]): string[] | undefined {
  if (o.path.length !== 1 || !kinds.includes(o.path[0]) || o.op === 'delete') return undefined;
  const v = parseValue(o.raw!);
  const list = v === null ? [] : Array.isArray(v) ? v : [v];
  if (list.some((n) => typeof n !== 'string')) {
    throw new NunatakError('CONFIG', `override '${o.text}': ${o.path[0]} must be a list of module names`, { hint: `${o.path[0]}=[a,b]` });
  }
  return list as string[];
}

/** Resolves one config. Sweeps (`key=a,b`) are refused here; use `resolveMultirun`. */
export function resolveConfig(input: ResolveInput = {}): ResolvedConfig {
  const catalog = input.catalog ?? configCatalog;
  const kinds = catalog.kinds;
  const exp = input.experimentFile ? readExperiment(input.experimentFile, kinds) : undefined;
  const overrides = (input.overrides ?? []).map(parseOverride);
  for (const o of overrides) {
    if (o.raw !== undefined && splitSweep(o.raw).length > 1) {
      throw new NunatakError('CONFIG', `override '${o.text}' has several values but this is not a multirun`, {
        hint: `add -m to sweep over them, or write a list as ${o.path.join('.')}=[${o.raw}]`,
      });
    }
  }
  const selection: Record<string, string[]> = {};
  const selectionWhere: Record<string, string> = { ...exp?.selectionWhere };
  const deselected = new Set<string>();
  for (const k of kinds) selection[k] = [...(exp?.selection[k] ?? [])];
  const rest: Override[] = [];
  for (const o of overrides) {
    const sel = selectionOverride(o, kinds);
    if (sel === undefined) {
      rest.push(o);
      continue;
    }
    for (const n of selection[o.path[0]]) if (!sel.includes(n)) deselected.add(`${o.path[0]}.${n}`);
    selection[o.path[0]] = sel;
    selectionWhere[o.path[0]] = `override '${o.text}'`;
  }
  for (const k of kinds) {
    const seen = new Set<string>();
    for (const n of selection[k]) {
      const where = selectionWhere[k] ?? 'config';
      if (!catalog.has(k, n)) {
        throw new NunatakError('CONFIG', `${where}: unknown ${k} module '${n}'${didYouMean(n, catalog.names(k))}`, {
          hint: `${k} modules: ${catalog.names(k).join(', ') || '(none registered)'}`,
        });
      }
      if (seen.has(n)) throw new NunatakError('CONFIG', `${where}: ${k} module '${n}' is selected twice`, { hint: 'list each module once' });
      seen.add(n);
    }
  }
  const b = new Builder(catalog, selection);
  if (exp) {
    // values for modules the command line deselected are dropped with them
    const values = structuredClone(exp.values);
    for (const d of deselected) {
      const [k, n] = d.split('.');
      if (isTree(values[k])) delete (values[k] as ConfigTree)[n];
    }
    b.merge(b.values, b.schema, values, [], exp.src);
  }
  for (const o of rest) b.apply(o);
  return {
    selection,
    values: b.values,
    schema: b.schema,
    added: b.added,
    overrides: (input.overrides ?? []).slice(),
    experimentFile: input.experimentFile,
  };
}

export interface RunConfig {
  /** `key=value` overrides picked for this run. */
  overrides: string[];
  /** Short label, e.g. `processes.time.end=2080,seed=1`. */
  label: string;
  config: ResolvedConfig;
}

/**
 * Multirun: every override with top-level commas (`key=a,b`) is a sweep; the
 * runs are the cartesian product, the last sweep varying fastest (as Hydra).
 */
export function resolveMultirun(input: ResolveInput = {}): RunConfig[] {
  const parsed = (input.overrides ?? []).map((t) => ({ o: parseOverride(t), t }));
  const choices = parsed.map(({ o, t }) => {
    if (o.raw === undefined) return [t];
    const parts = splitSweep(o.raw);
    if (parts.some((p) => p === '')) {
      throw new NunatakError('CONFIG', `override '${t}': empty value in sweep`, { hint: 'write key=a,b,c' });
    }
    const prefix = t.slice(0, t.indexOf('=') + 1);
    return parts.map((p) => prefix + p);
  });
  const sweeping = choices.map((c) => c.length > 1);
  let combos: string[][] = [[]];
  for (const c of choices) combos = combos.flatMap((combo) => c.map((v) => [...combo, v]));
  return combos.map((overrides) => {
    const label = overrides.filter((_, i) => sweeping[i]).join(',');
    return { overrides, label, config: resolveConfig({ ...input, overrides }) };
  });
}
