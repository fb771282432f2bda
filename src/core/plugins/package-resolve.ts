/**
 * Finds the file a bare specifier (`pkg`, `pkg/sub`, `@scope/pkg/sub`) names,
 * the way Node's ESM loader does: the nearest `node_modules/<pkg>` above
 * `baseDir`, its package.json `exports` under the `import` / `node` /
 * `default` conditions (in the order the package lists them), else `main`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const TRY_EXT = ['', '.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];
const CONDITIONS = new Set(['import', 'node', 'default', 'module-sync']);

/** `p` itself or `p` with one of the extensions nunatak tries for entrypoints, when that is a file. */
export function findFile(p: string): string | undefined {
  for (const e of TRY_EXT) {
    const c = p + e;
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

function pickTarget(e: unknown): string | undefined {
  if (typeof e === 'string') return e;
  if (Array.isArray(e)) {
    for (const x of e) {
      const r = pickTarget(x);
      if (r) return r;
    }
    return undefined;
  }
  if (e && typeof e === 'object') {
    for (const [k, v] of Object.entries(e as Record<string, unknown>)) {
      if (!CONDITIONS.has(k)) continue;
      const r = pickTarget(v);
      if (r) return r;
    }
  }
  return undefined;
}

/** The target `exports` maps `sub` (`.` or `./x`) to, with `*` patterns. */
export function pickExport(exports: unknown, sub: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string' || Array.isArray(exports)) return sub === '.' ? pickTarget(exports) : undefined;
  const map = exports as Record<string, unknown>;
  if (!Object.keys(map).some((k) => k.startsWith('.'))) return sub === '.' ? pickTarget(map) : undefined;
  if (sub in map) return pickTarget(map[sub]);
  // Longest matching "./prefix*suffix" pattern wins, as in Node.
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(map)) {
    const i = key.indexOf('*');
    if (i < 0) continue;
    const [pre, post] = [key.slice(0, i), key.slice(i + 1)];
    if (sub.startsWith(pre) && sub.endsWith(post) && sub.length >= key.length - 1 && (!best || pre.length > best.key.indexOf('*'))) {
      best = { key, star: sub.slice(pre.length, sub.length - post.length) };
    }
  }
  if (!best) return undefined;
  return pickTarget(map[best.key])?.replaceAll('*', best.star);
}

/** The package name and `./sub` of a bare specifier. */
function splitSpecifier(spec: string): [string, string] {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return [name, '.' + spec.slice(name.length)];
}

/** Absolute file of bare specifier `spec` resolved from `baseDir`, or undefined when no package provides it. */
export function resolvePackage(spec: string, baseDir: string): string | undefined {
  const [name, sub] = splitSpecifier(spec);
  for (let dir = resolve(baseDir); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const pj = join(pkgDir, 'package.json');
    if (existsSync(pj)) {
      const pkg = JSON.parse(readFileSync(pj, 'utf8')) as { exports?: unknown; main?: string };
      const target = pkg.exports !== undefined ? pickExport(pkg.exports, sub) : sub === '.' ? (pkg.main ?? 'index.js') : sub;
      return target === undefined ? undefined : findFile(join(pkgDir, target));
    }
    if (dirname(dir) === dir) return undefined;
  }
}
