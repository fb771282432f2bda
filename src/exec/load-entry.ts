/**
 * Minimal entrypoint loader for executor tasks: `"./file.ts#export"`,
 * `"/abs/file.ts#export"`, `"file:///abs/file.ts#export"` or
 * `"package/subpath#export"` (including `nunatak/...` self-references).
 * Relative paths resolve against the current working directory, the same on
 * every worker. To be replaced by the general plugin resolver in core/plugins.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NunatakError, didYouMean } from '../core/errors.js';

const cache = new Map<string, Promise<unknown>>();

/** Split `"spec#export"`; the export name defaults to `default`. */
export function parseEntry(entry: string): { spec: string; name: string } {
  if (typeof entry !== 'string' || entry.length === 0) {
    throw new NunatakError('PLUGIN', `task entrypoint must be a non-empty string, got ${JSON.stringify(entry)}`, {
      hint: 'use "./file.ts#exportName"',
    });
  }
  const hash = entry.lastIndexOf('#');
  if (hash <= 0) return { spec: entry, name: 'default' };
  return { spec: entry.slice(0, hash), name: entry.slice(hash + 1) || 'default' };
}

function toImportSpecifier(spec: string): string {
  if (spec.startsWith('file:')) return spec;
  if (spec.startsWith('.') || isAbsolute(spec)) return pathToFileURL(resolve(process.cwd(), spec)).href;
  return spec;
}

/** Load the exported value an entrypoint names (cached per module). */
export async function loadEntry<T = unknown>(entry: string): Promise<T> {
  const { spec, name } = parseEntry(entry);
  const url = toImportSpecifier(spec);
  let mod = cache.get(url);
  if (!mod) {
    mod = import(url);
    cache.set(url, mod);
  }
  let m: Record<string, unknown>;
  try {
    m = (await mod) as Record<string, unknown>;
  } catch (e) {
    cache.delete(url);
    throw new NunatakError('PLUGIN', `cannot load module '${spec}' of entrypoint '${entry}': ${(e as Error).message}`, {
      hint: 'relative paths resolve against the working directory; use "./file.ts#exportName"',
      cause: e,
    });
  }
  if (!(name in m)) {
    throw new NunatakError('NOT_FOUND', `module '${spec}' has no export '${name}'${didYouMean(name, Object.keys(m))}`, {
      hint: `exports are: ${Object.keys(m).join(', ') || '(none)'}`,
    });
  }
  return m[name] as T;
}

/** Load an entrypoint that must be a function. */
export async function loadFunction<F extends (...a: any[]) => unknown>(entry: string): Promise<F> {
  const f = await loadEntry(entry);
  if (typeof f !== 'function') {
    throw new NunatakError('PLUGIN', `entrypoint '${entry}' is a ${typeof f}, expected a function`);
  }
  return f as F;
}
