/**
 * Loads a user's file — a sim module, a model entrypoint, a UDF, a plug-in —
 * from any folder, with or without a package.json: `.ts`, `.mts`, `.js` or
 * `.mjs`, always as an ES module. esbuild compiles the file and the user's
 * own files it imports (relative imports) into one module, written to the temp
 * folder and imported with a source map that names the user's files; `nunatak`
 * and `nunatak/...` map to the running nunatak (self-import.ts), other
 * packages to the file Node would load from the user's folder (or from
 * nunatak's own dependencies), so the user's code shares their instances.
 * Every failure is a PLUGIN error naming the user's file, line and the real
 * cause (syntax, import not found, missing export, a throw at load time).
 */
import { builtinModules } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildFailure, Message, Plugin } from 'esbuild';
import { NunatakError } from '../errors.js';
import { findFile, resolvePackage } from './package-resolve.js';
import { PACKAGE_DIR, isNunatakSpecifier, isRunningNunatakFile, resolveNunatakSpecifier } from './self-import.js';

/** Where an import to a file outside the bundle came from, to name it in errors. */
interface External {
  spec: string;
  importer: string;
}

const CHECK_HINT = (file: string) => `fix the error in that file; \`nunatak check ${file}\` type-checks the file against nunatak's types`;
const BUILTINS = new Set(builtinModules);
const loaded = new Map<string, { mtimeMs: number; ns: Promise<Record<string, unknown>> }>();

function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]!);
}

function whereOf(m: Message): string {
  const l = m.location;
  if (!l) return '';
  return `${resolve(l.file)}:${l.line}:${l.column + 1}: `;
}

function formatMessages(msgs: Message[]): string {
  return msgs
    .slice(0, 5)
    .map((m) => `${whereOf(m)}${m.text}${m.location?.lineText ? `\n    ${m.location.lineText.trim()}` : ''}`)
    .join('\n  ');
}

function plugin(externals: Map<string, External>): Plugin {
  return {
    name: 'nunatak-user-code',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const spec = args.path;
        if (isBuiltin(spec)) return { path: spec, external: true };
        if (isNunatakSpecifier(spec)) {
          const file = resolveNunatakSpecifier(spec);
          if (!file) {
            return { errors: [{ text: `'${spec}' is not a module of nunatak (entry points: nunatak/core, nunatak/sim, nunatak/models, nunatak/udf, nunatak/emulator, nunatak/hybrid, nunatak/io, nunatak/exec)` }] };
          }
          const url = pathToFileURL(file).href;
          externals.set(url, { spec, importer: args.importer });
          return { path: url, external: true };
        }
        if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) {
          // A path into the running nunatak (e.g. ../src/udf/index.ts in a checkout) must share its instances: not bundled.
          const p = spec.startsWith('file:') ? fileURLToPath(spec) : resolve(args.resolveDir, spec);
          const own = isRunningNunatakFile(p) ? (findFile(p) ?? findFile(p.replace(/\.js$/, ''))) : undefined;
          if (own) return { path: pathToFileURL(own).href, external: true };
          // the user's own files: bundled (esbuild resolves paths, not file: URLs)
          return spec.startsWith('file:') ? { path: p } : undefined;
        }
        const file = resolvePackage(spec, args.resolveDir) ?? resolvePackage(spec, PACKAGE_DIR);
        if (!file) return { errors: [{ text: `cannot find package '${spec}' (looked in node_modules above ${args.resolveDir} and in nunatak's dependencies)` }] };
        const url = pathToFileURL(file).href;
        externals.set(url, { spec, importer: args.importer });
        return { path: url, external: true };
      });
      // import.meta.url must name the user's file, not the in-memory module.
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const url = pathToFileURL(args.path).href;
        const contents = readFileSync(args.path, 'utf8')
          .replace(/\bimport\.meta\.url\b/g, JSON.stringify(url))
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
        return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

/** Compiles `file` (and the user's files it imports) into one ES module's source. */
async function compile(file: string, externals: Map<string, External>): Promise<string> {
  const { build } = await import('esbuild');
  try {
    const r = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      outfile: join(dirname(file), '__nunatak_user_code.mjs'), // names only; nothing is written
      logLevel: 'silent',
      plugins: [plugin(externals)],
    });
    const code = r.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
    const map = JSON.parse(r.outputFiles.find((f) => f.path.endsWith('.map'))!.text) as { sources: string[] };
    // Absolute file URLs, so stack traces name the user's files (the module itself has a data: URL).
    map.sources = map.sources.map((s) => pathToFileURL(resolve(dirname(file), s)).href);
    const inline = Buffer.from(JSON.stringify(map)).toString('base64');
    return `${code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n')}//# sourceMappingURL=data:application/json;base64,${inline}\n`;
  } catch (e) {
    const errors = (e as BuildFailure).errors;
    if (!Array.isArray(errors)) throw e;
    throw new NunatakError('PLUGIN', `${file} failed to load (it does not compile):\n  ${formatMessages(errors)}`, { hint: CHECK_HINT(file) });
  }
}

/** Turns an error from linking or running the compiled module into one that names the user's file. */
function explain(file: string, e: unknown, externals: Map<string, External>): NunatakError {
  const err = e as Error & { code?: string };
  const m = /The requested module '([^']+)' does not provide an export named '([^']+)'/.exec(err?.message ?? '');
  if (m) {
    const ext = externals.get(m[1]!);
    const from = ext ? `'${ext.spec}'` : m[1];
    const where = ext ? resolve(ext.importer) : file;
    return new NunatakError('PLUGIN', `${where} failed to load: it imports '${m[2]}' from ${from}, which does not export it`, { hint: CHECK_HINT(where), cause: e });
  }
  if (err instanceof NunatakError) return err;
  return new NunatakError('PLUGIN', `${file} failed to load: its top-level code threw: ${err?.message ?? String(e)}`, {
    hint: CHECK_HINT(file),
    cause: e,
  });
}

/** Where compiled user modules are written to be imported (a file URL, so source maps name the user's files). */
function compiledPath(file: string, code: string): string {
  const dir = join(tmpdir(), `nunatak-user-code-${process.getuid?.() ?? 'u'}`);
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha1').update(file).update(code).digest('hex').slice(0, 16);
  const out = join(dir, `${basename(file).replace(/\.[^.]+$/, '')}-${hash}.mjs`);
  if (!existsSync(out)) writeFileSync(out, code);
  return out;
}

async function load(file: string): Promise<Record<string, unknown>> {
  process.setSourceMapsEnabled(true); // stack traces at the user's file and line
  const externals = new Map<string, External>();
  const code = await compile(file, externals);
  const url = pathToFileURL(compiledPath(file, code)).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    // In a checkout nunatak's own modules are TypeScript: load them through tsx when this thread has no loader yet.
    if ((e as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      const { register } = await import('tsx/esm/api');
      register();
      try {
        return (await import(`${url}?tsx`)) as Record<string, unknown>; // a new URL: the failed one stays failed
      } catch (e2) {
        throw explain(file, e2, externals);
      }
    }
    throw explain(file, e, externals);
  }
}

/** True for the extensions the loader takes. */
export function isUserCodeFile(file: string): boolean {
  return ['.ts', '.mts', '.js', '.mjs', '.cts', '.cjs'].includes(extname(file));
}

/**
 * The module namespace of the user's file `file` (absolute). Loaded once per
 * process while the file is unchanged, so every caller gets the same classes
 * and functions.
 */
export function importUserFile(file: string): Promise<Record<string, unknown>> {
  const abs = resolve(file);
  const mtimeMs = statSync(abs).mtimeMs;
  const hit = loaded.get(abs);
  if (hit && hit.mtimeMs === mtimeMs) return hit.ns;
  const ns = load(abs);
  loaded.set(abs, { mtimeMs, ns });
  ns.catch(() => loaded.delete(abs));
  return ns;
}
