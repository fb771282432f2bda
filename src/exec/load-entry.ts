/**
 * Entrypoint loading for executor tasks and UDFs, on the general plugin
 * resolver (`src/core/plugins`): `"./file.ts#export"`, `"/abs/file.ts#export"`,
 * `"file:///abs/file.ts#export"` or `"package/subpath#export"`. Relative paths
 * and packages resolve from the current working directory (the same on every
 * worker); `nunatak/...` names the running nunatak wherever the worker runs.
 * Errors are PLUGIN errors naming the entrypoint, the file and the export.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { NunatakError } from '../core/errors.js';
import { resolveEntrypoint, type PluginShape } from '../core/plugins/index.js';

// Successful resolutions, so a task run per partition does not touch the file system again.
const cache = new Map<string, unknown>();
// Values the caller already holds (e.g. a UDF class of the running script), by entry: never imported in this thread.
const local = new Map<string, unknown>();
// The entry whose module is being imported, seen by that module's top-level code.
const loading = new AsyncLocalStorage<string>();

/**
 * Register a value this thread already holds under its entry, so loading the
 * entry here (inline executor) never imports its module again — importing the
 * running script from itself waits for its own top-level await for ever.
 */
export function registerLocal(entry: string, value: unknown): void {
  local.set(entry, value);
}

/** The entry being loaded when called from its module's top-level code, else undefined. */
export function loadingEntry(): string | undefined {
  return loading.getStore();
}

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

/** Load the exported value an entrypoint names, optionally checking its shape. */
export async function loadEntry<T = unknown>(entry: string, expect?: PluginShape): Promise<T> {
  if (local.has(entry)) return local.get(entry) as T;
  const key = `${process.cwd()}\0${entry}\0${expect ? JSON.stringify(expect) : ''}`;
  if (cache.has(key)) return cache.get(key) as T;
  parseEntry(entry); // validates the string
  const r = await loading.run(entry, () => resolveEntrypoint<T>(entry, { baseDir: process.cwd(), expect }));
  cache.set(key, r.value);
  return r.value;
}

/** Load an entrypoint that must be a function. */
export function loadFunction<F extends (...a: any[]) => unknown>(entry: string): Promise<F> {
  return loadEntry<F>(entry, { type: 'function' });
}
