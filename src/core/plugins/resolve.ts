/**
 * One resolver for every extension point. An entrypoint is
 *   `./path/file.ts#export` or `../x.ts` (relative to `baseDir`),
 *   `/abs/file.ts#export`, `file:///abs/file.ts#export`,
 *   `package/subpath#export` or `@scope/pkg#export` (node resolution from `baseDir`),
 *   or a built-in `name` (optionally `name#export`) from a BuiltinRegistry.
 * Without `#export` the default export is used, or the whole module when it has
 * none and an object is expected (IGM-style modules exporting functions).
 * `nunatak/...` names the running nunatak's files wherever the entrypoint sits;
 * a user's file loads through the user-code loader (user-code.ts).
 */
import { isAbsolute, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NunatakError, didYouMean } from '../errors.js';
import { findFile, resolvePackage } from './package-resolve.js';
import type { BuiltinRegistry } from './registry.js';
import { RUNNING_ROOT, isNunatakSpecifier, isRunningNunatakFile, resolveNunatakSpecifier } from './self-import.js';
import { checkShape, type PluginShape } from './shape.js';
import { importUserFile, isUserCodeFile } from './user-code.js';

export interface ResolveOptions {
  /** Folder relative entrypoints and packages are resolved from (e.g. the experiment's folder). */
  baseDir?: string;
  /** Registry of built-in names. */
  builtins?: BuiltinRegistry;
  /** What the extension point expects; checked after loading. */
  expect?: PluginShape;
}

export interface Resolved<T = unknown> {
  value: T;
  entrypoint: string;
  /** Absolute file, or `builtin:<name>`. */
  file: string;
  /** Export used; '*' for the whole module. */
  exportName: string;
}

function pluginError(msg: string, hint: string, cause?: unknown): NunatakError {
  return new NunatakError('PLUGIN', msg, { hint, cause });
}

function splitExport(spec: string): [string, string | undefined] {
  const i = spec.lastIndexOf('#');
  return i < 0 ? [spec, undefined] : [spec.slice(0, i), spec.slice(i + 1) || undefined];
}

let tsxRegistered = false;

/** import() of a package or nunatak file; tsx is registered when plain node cannot load a .ts file. */
async function importPackageFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION' && !tsxRegistered) {
      const { register } = await import('tsx/esm/api');
      register();
      tsxRegistered = true;
      return (await import(url)) as Record<string, unknown>;
    }
    throw e;
  }
}

/** nunatak's own files and installed packages load as they are; a user's file goes through the user-code loader. */
function importFile(file: string): Promise<Record<string, unknown>> {
  if (isRunningNunatakFile(file) || file.split(sep).includes('node_modules') || !isUserCodeFile(file)) return importPackageFile(file);
  return importUserFile(file);
}

function locate(path: string, entrypoint: string, opts: ResolveOptions, baseDir: string): string {
  let file: string | undefined;
  let tried: string;
  if (path.startsWith('file://')) {
    tried = fileURLToPath(path);
    file = findFile(tried);
  } else if (path.startsWith('./') || path.startsWith('../') || path === '.' || isAbsolute(path)) {
    tried = resolvePath(baseDir, path);
    file = findFile(tried);
  } else if (isNunatakSpecifier(path)) {
    tried = `'${path}' in the running nunatak (${RUNNING_ROOT})`;
    file = resolveNunatakSpecifier(path);
  } else {
    tried = `package '${path}' from ${baseDir}`;
    file = resolvePackage(path, baseDir);
  }
  if (file === undefined) {
    const names = opts.builtins?.names() ?? [];
    throw pluginError(
      `${entrypoint}: file not found: ${tried}`,
      path.includes('/') || path.includes('.')
        ? 'check the path (relative entrypoints start with ./ and are taken from the experiment folder)'
        : `built-in names: ${names.join(', ') || '(none)'}`,
    );
  }
  return file;
}

/** Loads what `entrypoint` names and checks its shape; every failure is a PLUGIN error naming entrypoint, file and what is missing. */
export async function resolveEntrypoint<T = unknown>(entrypoint: string, opts: ResolveOptions = {}): Promise<Resolved<T>> {
  const baseDir = resolvePath(opts.baseDir ?? process.cwd());
  const [path, exp] = splitExport(entrypoint.trim());
  if (path === '') throw pluginError(`empty entrypoint '${entrypoint}'`, 'write ./file.ts#export, package#export or a built-in name');

  const isBuiltinName = !path.includes('/') && !path.includes('\\') && !path.startsWith('.') && !path.startsWith('file:');
  let file: string;
  let mod: unknown;
  if (isBuiltinName && opts.builtins?.has(path)) {
    file = `builtin:${path}`;
    try {
      mod = await opts.builtins.get(path)!();
    } catch (e) {
      throw pluginError(`${entrypoint}: built-in '${path}' failed to load: ${(e as Error).message}`, 'a dependency of this built-in may be missing; run `nunatak doctor`', e);
    }
  } else {
    if (isBuiltinName && exp === undefined && opts.builtins) {
      throw pluginError(
        `${entrypoint}: no built-in named '${path}'${didYouMean(path, opts.builtins.names())}`,
        `built-in ${opts.builtins.label} names: ${opts.builtins.names().join(', ') || '(none)'}; a file needs ./ in front`,
      );
    }
    file = locate(path, entrypoint, opts, baseDir);
    try {
      mod = await importFile(file);
    } catch (e) {
      // The user-code loader's errors name the file, line and cause; add the entrypoint.
      if (e instanceof NunatakError) throw new NunatakError(e.code, `${entrypoint}: ${e.message}`, { hint: e.hint, cause: e.cause });
      throw pluginError(`${entrypoint}: ${file} failed to load: ${(e as Error).message}`, 'fix the error in that file', e);
    }
  }

  let value: unknown = mod;
  let exportName = '*';
  const ns = (mod ?? {}) as Record<string, unknown>;
  if (exp !== undefined) {
    if (!(exp in ns)) {
      const names = Object.keys(ns).filter((k) => k !== '__esModule');
      throw pluginError(`${entrypoint}: export '${exp}' not found in ${file}${didYouMean(exp, names)}`, `exports are: ${names.join(', ') || '(none)'}`);
    }
    value = ns[exp];
    exportName = exp;
  } else if (!file.startsWith('builtin:')) {
    if ('default' in ns) {
      value = ns.default;
      exportName = 'default';
    } else if (opts.expect && opts.expect.type !== 'object') {
      const names = Object.keys(ns);
      throw pluginError(`${entrypoint}: ${file} has no default export`, `name one: ${names.map((n) => `${path}#${n}`).join(', ') || '(module exports nothing)'}`);
    }
  }
  if (opts.expect) checkShape(value, opts.expect, entrypoint, file);
  return { value: value as T, entrypoint, file, exportName };
}
