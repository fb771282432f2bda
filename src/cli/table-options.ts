/**
 * Options generated from a face's option table (emulator train/pretrain,
 * invert). Every command spells long options in kebab-case (`--nb-layers`);
 * the table's snake_case names (DLE's and IGM's spellings, `--nb_layers`) and
 * any extra aliases (DLE's `--thrice`) are accepted as hidden options, so
 * DLE / IGM command lines run unchanged. Values stay strings: the face parses
 * and validates them, and undefined means "not given" (a YAML file or the
 * face's default applies).
 */
import { Option, type Command } from 'commander';
import { NunatakError } from '../core/errors.js';

export interface TableOption {
  /** The face's key, snake_case as in DLE / IGM. */
  name: string;
  /** Meaning, with unit and default already in it (see {@link describeOption}). */
  description: string;
  /** Placeholder shown in help, e.g. `n`, `m`, `bool` (default `value`). */
  value?: string;
  /** Other accepted spellings, hidden from help (e.g. DLE's `thrice` for `thr_ice`). */
  aliases?: string[];
}

/** `help [unit] (one of …) (default: x)`: the form every table-generated option uses. */
export function describeOption(help: string, o: { unit?: string; default?: unknown; choices?: readonly string[] }): string {
  const unit = o.unit && o.unit !== '1' ? ` [${o.unit}]` : '';
  const choices = o.choices ? ` (one of ${o.choices.join(', ')})` : '';
  const d = o.default;
  if (help.includes('(default')) return `${help}${unit}${choices}`; // the help says it already
  const def = d === undefined || d === '' ? 'none' : Array.isArray(d) ? d.join(',') : String(d);
  return `${help}${unit}${choices} (default: ${def})`;
}

export function kebab(name: string): string {
  return name.replace(/_/g, '-');
}

function attr(flag: string): string {
  return new Option(`--${flag} <v>`).attributeName();
}

/** Adds `--kebab-name <value>` for each entry, plus hidden snake_case and alias spellings. */
export function addTableOptions(cmd: Command, table: readonly TableOption[]): void {
  for (const t of table) {
    const main = kebab(t.name);
    cmd.option(`--${main} <${t.value ?? 'value'}>`, t.description);
    for (const a of new Set([t.name, ...(t.aliases ?? [])])) {
      if (a === main) continue;
      cmd.addOption(new Option(`--${a} <${t.value ?? 'value'}>`, `alias of --${main}`).hideHelp());
    }
  }
}

/** The table's values from commander's parsed options, keyed by table name; a value given under two spellings is refused. */
export function readTableOptions(opts: Record<string, unknown>, table: readonly TableOption[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const t of table) {
    const spellings = [...new Set([kebab(t.name), t.name, ...(t.aliases ?? [])])];
    const given = spellings.filter((s) => opts[attr(s)] !== undefined);
    if (given.length > 1) {
      throw new NunatakError('CONFIG', `${given.map((s) => `--${s}`).join(' and ')} are the same option, given twice`, { hint: `give only --${kebab(t.name)}` });
    }
    const v = given.length ? opts[attr(given[0]!)] : undefined;
    out[t.name] = v === undefined ? undefined : String(v);
  }
  return out;
}

/** Commander argument parser of a repeatable option (`--catalog a --catalog b` → [a, b]). */
export function collect(value: string, prev: string[] = []): string[] {
  return [...prev, value];
}

const lazyTables = new WeakMap<Command, () => Promise<readonly TableOption[]>>();

/**
 * Adds the table's options only when `cmd` is dispatched (run, or its --help
 * shown): building a table can load heavy modules (zod schemas, module YAML),
 * which every other command, and `nunatak --help`, would pay at start-up.
 * `cmd` must already have its parent. Returns the table once loaded, for the
 * action's {@link readTableOptions}.
 */
export function addTableOptionsLazily(cmd: Command, build: () => Promise<readonly TableOption[]>): () => Promise<readonly TableOption[]> {
  let table: Promise<readonly TableOption[]> | undefined;
  const load = () =>
    (table ??= build().then((t) => {
      addTableOptions(cmd, t);
      return t;
    }));
  lazyTables.set(cmd, load);
  cmd.parent!.hook('preSubcommand', async (_parent, sub) => {
    if (sub === cmd) await load();
  });
  return load;
}

/** Adds every lazily registered table option under `program` now (for tools that walk all options, e.g. the help test). */
export async function loadLazyTableOptions(program: Command): Promise<void> {
  await lazyTables.get(program)?.();
  for (const c of program.commands) await loadLazyTableOptions(c);
}
