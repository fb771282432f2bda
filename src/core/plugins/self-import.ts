/**
 * `nunatak` and `nunatak/...` as written in a user's file, mapped to the files
 * of the nunatak that is running — `src/*.ts` in a checkout, `dist/*.js` in
 * an installed package — wherever the user's file sits. The user's code then
 * shares nunatak's module instances (one TF.js backend, one `UDF` class).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownExt } from './sibling.js';

const EXT = ownExt(import.meta.url);
/** `src/` or `dist/`: the folder holding core/, sim/, … of the running copy. */
export const RUNNING_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The package folder (holding package.json, build/, node_modules/ when local). */
export const PACKAGE_DIR = dirname(RUNNING_ROOT);

/** True for `nunatak` and `nunatak/...`. */
export function isNunatakSpecifier(spec: string): boolean {
  return spec === 'nunatak' || spec.startsWith('nunatak/');
}

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/**
 * The running file a `nunatak/...` specifier names, or undefined when there is
 * none: `nunatak` → the root index, `nunatak/sim` → sim/index,
 * `nunatak/core/tensor/index.ts` (or `.js`, or no extension) → that module.
 */
export function resolveNunatakSpecifier(spec: string): string | undefined {
  if (!isNunatakSpecifier(spec)) return undefined;
  const sub = spec.slice('nunatak'.length).replace(/^\//, '').replace(/\.(ts|mts|js|mjs)$/, '');
  if (sub.split('/').includes('..')) return undefined;
  const base = sub === '' ? RUNNING_ROOT : join(RUNNING_ROOT, ...sub.split('/'));
  for (const c of [base + EXT, join(base, `index${EXT}`)]) if (isFile(c)) return c;
  return undefined;
}

/** True when `file` is one of the running nunatak's own modules (under src/ or dist/). */
export function isRunningNunatakFile(file: string): boolean {
  return resolve(file).startsWith(RUNNING_ROOT + sep);
}
