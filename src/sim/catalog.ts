/** Registers the sim face's built-in modules (and the `sim` section) in a config catalogue. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigCatalog } from '../core/config/index.js';
import { MODULE_KINDS } from './contract.js';
import { BUILTINS, builtinDefaultsFile } from './modules/registry.js';

const here = dirname(fileURLToPath(import.meta.url));

export function register(catalog: ConfigCatalog): void {
  for (const kind of MODULE_KINDS) {
    for (const name of BUILTINS[kind].names()) catalog.addModule(kind, name, { defaultsFile: builtinDefaultsFile(kind, name), code: name });
  }
  catalog.addSection('sim', join(here, 'sim.yaml'));
}
