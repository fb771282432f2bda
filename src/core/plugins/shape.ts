/**
 * The kind of value an extension point expects: a function, a class, or an
 * object (module namespace) with given methods. Checked after loading so a
 * wrong export fails with what was expected instead of failing later.
 */
import { NunatakError } from '../errors.js';

export type PluginShape =
  | { type: 'function' }
  | { type: 'class'; methods?: string[] }
  | { type: 'object'; methods: string[] };

function describeShape(s: PluginShape): string {
  if (s.type === 'function') return 'a function';
  const m = s.methods && s.methods.length > 0 ? ` with methods ${s.methods.join(', ')}` : '';
  return s.type === 'class' ? `a class${m}` : `an object${m}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return /^class[\s{]/.test(Function.prototype.toString.call(v)) ? 'a class' : 'a function';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Throws a PLUGIN error naming the entrypoint and file when `value` does not fit `shape`. */
export function checkShape(value: unknown, shape: PluginShape, entrypoint: string, file: string): void {
  const fail = (detail: string): never => {
    throw new NunatakError('PLUGIN', `${entrypoint} (${file}): expected ${describeShape(shape)}, got ${detail}`, {
      hint: `export ${describeShape(shape)} from ${file}`,
    });
  };
  if (shape.type === 'function') {
    if (typeof value !== 'function') fail(kindOf(value));
    return;
  }
  if (shape.type === 'class') {
    if (kindOf(value) !== 'a class') fail(kindOf(value));
    const proto = (value as { prototype: Record<string, unknown> }).prototype;
    const missing = (shape.methods ?? []).filter((m) => typeof proto[m] !== 'function');
    if (missing.length > 0) fail(`a class without method${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    return;
  }
  if (typeof value !== 'object' || value === null) fail(kindOf(value));
  const obj = value as Record<string, unknown>;
  const missing = shape.methods.filter((m) => typeof obj[m] !== 'function');
  if (missing.length > 0) fail(`an object without method${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
}
