/**
 * Scanner for a user folder laid out like IGM's:
 * `user/code/<kind>/<name>.ts` (or `<name>/<name>.ts`) and
 * `user/conf/<kind>/<name>.yaml`. A user module named like a built-in replaces
 * it; the sim face registers what this finds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface UserModule {
  kind: string;
  name: string;
  /** Absolute path of the module's code, when there is code. */
  code?: string;
  /** Absolute path of the module's defaults YAML, when there is one. */
  conf?: string;
}

export interface ScanOptions {
  /** Module kinds (sub-folder names); default inputs, processes, outputs. */
  kinds?: string[];
  /** Folders under the root; default `user/code` and `user/conf`. */
  codeDir?: string;
  confDir?: string;
}

const CODE_EXT = ['.ts', '.mts', '.js', '.mjs'];
const CONF_EXT = ['.yaml', '.yml'];

function listDir(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
}

function stripExt(f: string, exts: string[]): string | undefined {
  const e = exts.find((x) => f.endsWith(x));
  return e === undefined ? undefined : f.slice(0, -e.length);
}

/** Finds user modules under `root`, sorted by kind then name. */
export function scanUserFolder(root: string, opts: ScanOptions = {}): UserModule[] {
  const kinds = opts.kinds ?? ['inputs', 'processes', 'outputs'];
  const codeRoot = resolve(root, opts.codeDir ?? 'user/code');
  const confRoot = resolve(root, opts.confDir ?? 'user/conf');
  const out: UserModule[] = [];
  for (const kind of kinds) {
    const found = new Map<string, UserModule>();
    const entry = (name: string): UserModule => {
      let m = found.get(name);
      if (!m) found.set(name, (m = { kind, name }));
      return m;
    };
    const codeDir = join(codeRoot, kind);
    for (const f of listDir(codeDir)) {
      const p = join(codeDir, f);
      const name = stripExt(f, CODE_EXT);
      if (name !== undefined && !f.endsWith('.d.ts') && statSync(p).isFile()) entry(name).code = p;
      else if (statSync(p).isDirectory()) {
        // package form: user/code/<kind>/<name>/<name>.ts (or index.ts)
        const inner = CODE_EXT.flatMap((e) => [join(p, f + e), join(p, 'index' + e)]).find((c) => existsSync(c));
        if (inner) entry(f).code = inner;
      }
    }
    const confDir = join(confRoot, kind);
    for (const f of listDir(confDir)) {
      const name = stripExt(f, CONF_EXT);
      if (name !== undefined) entry(name).conf = join(confDir, f);
    }
    out.push(...[...found.values()].sort((a, b) => a.name.localeCompare(b.name)));
  }
  return out;
}
