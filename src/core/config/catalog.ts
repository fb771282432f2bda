/**
 * The module catalogue the config engine resolves against. Faces register
 * selectable modules per kind (`processes/iceflow` → its defaults YAML) and
 * always-present sections (e.g. `core`, `emulator`), built-in or user. The
 * engine itself knows no module names.
 */
import { NunatakError, didYouMean } from '../errors.js';
import { scanUserFolder, type ScanOptions } from '../plugins/user-folder.js';
import { loadModuleDefaults, type ModuleDefaults } from './module-defaults.js';
import { newGroup } from './types.js';

export interface CatalogEntry {
  kind: string;
  name: string;
  /** Defaults YAML; none means the module takes no parameters. */
  defaultsFile?: string;
  /** Entrypoint of the module's code (for the face that runs it). */
  code?: string;
  origin: 'builtin' | 'user';
}

export class ConfigCatalog {
  private readonly modules = new Map<string, Map<string, CatalogEntry>>();
  private readonly sectionFiles = new Map<string, string>();
  private readonly cache = new Map<string, ModuleDefaults>();

  /** `kinds` are the selectable module groups, in the order they run. */
  constructor(kinds: string[] = ['inputs', 'processes', 'outputs']) {
    for (const k of kinds) this.modules.set(k, new Map());
  }

  get kinds(): string[] {
    return [...this.modules.keys()];
  }

  get sections(): string[] {
    return [...this.sectionFiles.keys()];
  }

  /** Adds or replaces a selectable module. */
  addModule(kind: string, name: string, opts: { defaultsFile?: string; code?: string; origin?: 'builtin' | 'user' } = {}): this {
    const group = this.modules.get(kind);
    if (!group) {
      throw new NunatakError('CONFIG', `unknown module kind '${kind}'${didYouMean(kind, this.kinds)}`, { hint: `kinds: ${this.kinds.join(', ')}` });
    }
    group.set(name, { kind, name, defaultsFile: opts.defaultsFile, code: opts.code, origin: opts.origin ?? 'builtin' });
    return this;
  }

  /** Adds a config section that is always present (e.g. `core`), with its defaults YAML. */
  addSection(name: string, defaultsFile: string): this {
    if (this.modules.has(name)) throw new NunatakError('CONFIG', `section '${name}' clashes with a module kind`);
    this.sectionFiles.set(name, defaultsFile);
    return this;
  }

  /**
   * Registers a user folder (`user/code/<kind>/<name>.ts`, `user/conf/<kind>/<name>.yaml`).
   * A user module replaces a built-in of the same name; code without a conf
   * file keeps the built-in's defaults (so a user module can wrap the built-in).
   */
  addUserFolder(root: string, opts: Omit<ScanOptions, 'kinds'> = {}): this {
    for (const m of scanUserFolder(root, { ...opts, kinds: this.kinds })) {
      const prev = this.modules.get(m.kind)!.get(m.name);
      this.addModule(m.kind, m.name, { defaultsFile: m.conf ?? prev?.defaultsFile, code: m.code ?? prev?.code, origin: 'user' });
    }
    return this;
  }

  names(kind: string): string[] {
    return [...(this.modules.get(kind)?.keys() ?? [])].sort();
  }

  has(kind: string, name: string): boolean {
    return this.modules.get(kind)?.has(name) ?? false;
  }

  /** The entry for `kind/name`; unknown names fail with "did you mean". */
  entry(kind: string, name: string): CatalogEntry {
    const e = this.modules.get(kind)?.get(name);
    if (!e) {
      throw new NunatakError('CONFIG', `unknown ${kind} module '${name}'${didYouMean(name, this.names(kind))}`, {
        hint: `${kind} modules: ${this.names(kind).join(', ') || '(none registered)'}`,
      });
    }
    return e;
  }

  /** Finds a module by `name` or `kind/name` across kinds (for `nunatak help`). */
  find(ref: string): CatalogEntry[] {
    const [kind, name] = ref.includes('/') ? ref.split('/', 2) : [undefined, ref];
    const hits = this.kinds.filter((k) => kind === undefined || k === kind).filter((k) => this.has(k, name)).map((k) => this.entry(k, name));
    return hits;
  }

  /** Defaults and schema of a module (parsed once). */
  moduleDefaults(kind: string, name: string): ModuleDefaults {
    return this.load(this.entry(kind, name).defaultsFile);
  }

  sectionDefaults(name: string): ModuleDefaults {
    return this.load(this.sectionFiles.get(name));
  }

  private load(file: string | undefined): ModuleDefaults {
    if (file === undefined) return { defaults: {}, schema: newGroup(), file: '(no parameters)' };
    let d = this.cache.get(file);
    if (!d) this.cache.set(file, (d = loadModuleDefaults(file)));
    return d;
  }
}

/** Process-wide catalogue that faces add their built-in modules to. */
export const configCatalog = new ConfigCatalog();

type Provider = (catalog: ConfigCatalog) => void | Promise<void>;
const providers: Provider[] = [];
const applied = new WeakMap<ConfigCatalog, Set<Provider>>();

/** Lets a face register its modules lazily (run by `loadCatalogProviders`). */
export function addCatalogProvider(p: Provider): void {
  providers.push(p);
}

/** Runs every registered provider not yet run against `catalog`. */
export async function loadCatalogProviders(catalog: ConfigCatalog = configCatalog): Promise<ConfigCatalog> {
  let done = applied.get(catalog);
  if (!done) applied.set(catalog, (done = new Set()));
  for (const p of providers) {
    if (done.has(p)) continue;
    done.add(p);
    await p(catalog);
  }
  return catalog;
}
