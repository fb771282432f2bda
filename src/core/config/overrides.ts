/**
 * Command-line overrides, Hydra style:
 *   `a.b.c=value`   set a parameter (value coerced to its type),
 *   `+a.b=value`    add a key that is not in the schema (error if it exists),
 *   `++a.b=value`   add or set,
 *   `~a.b`          delete a key added with `+`,
 *   `processes=[smb,iceflow]` select the modules of a kind.
 * Values are YAML (`[a, b]`, `null`, `'quoted'`). In a multirun a top-level
 * comma makes a sweep: `key=a,b`.
 */
import { parse as parseYaml } from 'yaml';
import { NunatakError } from '../errors.js';

export interface Override {
  op: 'set' | 'add' | 'force' | 'delete';
  path: string[];
  /** The value text (absent for delete). */
  raw?: string;
  /** The override as written. */
  text: string;
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function parseOverride(text: string): Override {
  let rest = text.trim();
  let op: Override['op'] = 'set';
  if (rest.startsWith('++')) [op, rest] = ['force', rest.slice(2)];
  else if (rest.startsWith('+')) [op, rest] = ['add', rest.slice(1)];
  else if (rest.startsWith('~')) [op, rest] = ['delete', rest.slice(1)];
  const eq = rest.indexOf('=');
  const key = (eq < 0 ? rest : rest.slice(0, eq)).trim();
  const raw = eq < 0 ? undefined : rest.slice(eq + 1).trim();
  const path = key.replace(/^\//, '').split('.');
  if (path.some((p) => !KEY_RE.test(p))) {
    throw new NunatakError('CONFIG', `override '${text}': '${key}' is not a key path`, { hint: 'write key.path=value, +new.key=value or ~key' });
  }
  if (op === 'delete' && raw !== undefined) {
    throw new NunatakError('CONFIG', `override '${text}': ~ deletes a key and takes no value`, { hint: `write ~${key}` });
  }
  if (op !== 'delete' && raw === undefined) {
    throw new NunatakError('CONFIG', `override '${text}' has no '=value'`, { hint: `write ${key}=<value>` });
  }
  return { op, path, raw, text };
}

/** Splits a value at top-level commas (not inside [], {} or quotes). */
export function splitSweep(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const ch of raw) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

/** The value of an override as YAML (falls back to the text itself when it is not valid YAML). */
export function parseValue(raw: string): unknown {
  if (raw === '') return '';
  try {
    return parseYaml(raw);
  } catch {
    return raw;
  }
}
