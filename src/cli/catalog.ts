/**
 * Builds the module catalogue for CLI commands: every face that has a
 * `src/<face>/catalog.ts` exporting `register(catalog)` adds its built-in
 * modules; `--catalog <entrypoint>` adds more (a plugin exporting
 * `register`); a user folder (`user/code`, `user/conf`) is scanned last so
 * user modules replace built-ins of the same name.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigCatalog, loadCatalogProviders } from '../core/config/index.js';
import { resolveEntrypoint } from '../core/plugins/index.js';
import { ownExt } from '../core/plugins/index.js';

export interface CatalogOptions {
  /** Entrypoints of functions `register(catalog)`. */
  catalog?: string[];
  /** Root holding `user/` (scanned when it exists). */
  userRoot?: string;
}

type Register = (c: ConfigCatalog) => void | Promise<void>;

export async function buildCatalog(opts: CatalogOptions): Promise<ConfigCatalog> {
  const catalog = new ConfigCatalog();
  const src = join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const face of readdirSync(src).sort()) {
    const f = join(src, face, `catalog${ownExt(import.meta.url)}`);
    if (face === 'cli' || face === 'core' || !existsSync(f)) continue;
    const mod = (await import(pathToFileURL(f).href)) as { register?: Register };
    if (typeof mod.register === 'function') await mod.register(catalog);
  }
  await loadCatalogProviders(catalog);
  for (const spec of opts.catalog ?? []) {
    let e = spec.includes('#') ? spec : `${spec}#register`;
    if (/^[^./]/.test(e) && existsSync(e.slice(0, e.lastIndexOf('#')))) e = `./${e}`; // a plain relative path on the command line
    const r = await resolveEntrypoint<Register>(e, { baseDir: process.cwd(), expect: { type: 'function' } });
    await r.value(catalog);
  }
  if (opts.userRoot && existsSync(join(opts.userRoot, 'user'))) catalog.addUserFolder(resolve(opts.userRoot));
  return catalog;
}
