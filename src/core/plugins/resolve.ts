/**
 * One resolver for every extension point. An entrypoint is
 *   `./path/file.ts#export` or `../x.ts` (relative to `baseDir`),
 *   `/abs/file.ts#export`, `file:///abs/file.ts#export`,
 *   `package/subpath#export` or `@scope/pkg#export` (node resolution from `baseDir`),
 *   or a built-in `name` (optionally `name#export`) from a BuiltinRegistry.
 * Without `#export` the default export is used, or the whole module when it has
 * none and an object is expected (IGM-style modules exporting functions).
 * User TypeScript loads with no build step through tsx.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NunatakError, didYouMean } from '../errors.js';
import type { BuiltinRegistry } from './registry.js';
import { checkShape, type PluginShape } from './shape.js';

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

const TRY_EXT = ['', '.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

function pluginError(msg: string, hint: string, cause?: unknown): NunatakError {
  return new NunatakError('PLUGIN', msg, { hint, cause });
}

function splitExport(spec: string): [string, string | undefined] {
  const i = spec.lastIndexOf('#');
  return i < 0 ? [spec, undefined] : [spec.slice(0, i), spec.slice(i + 1) || undefined];
}

function findFile(p: string): string | undefined {
  for (const e of TRY_EXT) {
    const c = p + e;
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

/** Resolves `package/subpath` from baseDir: require resolution, then package.json `exports` for import-only packages. */
function resolvePackage(spec: string, baseDir: string): string | undefined {
  try {
    return createRequire(join(baseDir, '__nunatak__.js')).resolve(spec);
  } catch {
    // import-only packages (exports with only an "import" condition) fail require resolution
  }
  const parts = spec.split('/');
  const pkgName = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const sub = '.' + spec.slice(pkgName.length);
  for (let dir = resolvePath(baseDir); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', pkgName);
    const pj = join(pkgDir, 'package.json');
    if (existsSync(pj)) {
      const pkg = JSON.parse(readFileSync(pj, 'utf8')) as { exports?: unknown; main?: string };
      const target = pickExport(pkg.exports, sub) ?? (sub === '.' ? pkg.main ?? 'index.js' : sub);
      return target === undefined ? undefined : findFile(join(pkgDir, target));
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function pickExport(exports: unknown, sub: string): string | undefined {
  if (exports === undefined) return undefined;
  if (typeof exports === 'string') return sub === '.' ? exports : undefined;
  const map = exports as Record<string, unknown>;
  const entry = Object.keys(map).some((k) => k.startsWith('.')) ? map[sub] : sub === '.' ? map : undefined;
  const pick = (e: unknown): string | undefined => {
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object') {
      for (const c of ['import', 'node', 'default']) {
        const r = pick((e as Record<string, unknown>)[c]);
        if (r) return r;
      }
    }
    return undefined;
  };
  return pick(entry);
}

let tsxRegistered = false;

/** import() that falls back to registering tsx when plain node cannot load a .ts file. */
async function importFile(file: string): Promise<Record<string, unknown>> {
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

function locate(path: string, entrypoint: string, opts: ResolveOptions, baseDir: string): string {
  let file: string | undefined;
  let tried: string;
  if (path.startsWith('file://')) {
    tried = fileURLToPath(path);
    file = findFile(tried);
  } else if (path.startsWith('./') || path.startsWith('../') || path === '.' || isAbsolute(path)) {
    tried = resolvePath(baseDir, path);
    file = findFile(tried);
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
