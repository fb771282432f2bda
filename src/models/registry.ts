/**
 * Where packages are found: `NUNATAK_MODEL_REGISTRY` (a folder of packages by
 * name), `file:///abs/path` URLs and relative or absolute paths.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NunatakError, didYouMean } from '../core/errors.js';
import { readPackage, type ModelPackage } from './package.js';

export interface RegistryOptions {
  /** Registry folder; default `process.env.NUNATAK_MODEL_REGISTRY`. */
  registry?: string;
  /** Base for relative paths; default `process.cwd()`. */
  cwd?: string;
}

function registryDir(o: RegistryOptions): string | undefined {
  const r = o.registry ?? process.env.NUNATAK_MODEL_REGISTRY;
  return r ? resolve(o.cwd ?? process.cwd(), r) : undefined;
}

/** The folder a model reference points at (not yet validated). */
export function resolvePackageDir(ref: string, o: RegistryOptions = {}): string {
  const cwd = o.cwd ?? process.cwd();
  if (ref.startsWith('file:')) {
    const u = new URL(ref);
    if (u.host !== '') {
      // file://abs/x parses 'abs' as a host and drops it (earth2mip's docs example): refuse instead.
      throw new NunatakError('CONFIG', `model '${ref}': file URL has host '${u.host}'`, { hint: `use three slashes for an absolute path: file:///${u.host}${u.pathname}` });
    }
    return fileURLToPath(u);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
    throw new NunatakError('CONFIG', `model '${ref}': only file:/// URLs, paths and registry names are supported`);
  }
  if (isAbsolute(ref) || ref.startsWith('./') || ref.startsWith('../') || ref.includes('/') || ref === '.' || ref === '..') return resolve(cwd, ref);
  const reg = registryDir(o);
  if (!reg) {
    throw new NunatakError('NOT_FOUND', `model '${ref}': no model registry is set`, { hint: 'set NUNATAK_MODEL_REGISTRY to a folder of packages, or give a path (./pkg) or file:///abs/pkg' });
  }
  const dir = join(reg, ref);
  if (!existsSync(join(dir, 'metadata.json'))) {
    const names = listPackageNames(reg);
    throw new NunatakError('NOT_FOUND', `model '${ref}' is not in the registry ${reg}${didYouMean(ref, names)}`, { hint: `packages: ${names.join(', ') || '(none)'}` });
  }
  return dir;
}

/** Resolve and validate a package. */
export function findPackage(ref: string, o: RegistryOptions = {}): ModelPackage {
  const dir = resolvePackageDir(ref, o);
  const name = /^[\w.-]+$/.test(ref) ? ref : undefined;
  return readPackage(dir, name);
}

/** Names of the sub-folders of `reg` that hold a metadata.json, sorted. */
export function listPackageNames(reg: string): string[] {
  if (!existsSync(reg) || !statSync(reg).isDirectory()) {
    throw new NunatakError('NOT_FOUND', `model registry ${reg}: no such folder`, { hint: 'NUNATAK_MODEL_REGISTRY must name a folder of model packages' });
  }
  return readdirSync(reg)
    .filter((n) => existsSync(join(reg, n, 'metadata.json')))
    .sort();
}

export interface RegistryEntry {
  name: string;
  dir: string;
  package?: ModelPackage;
  /** Why the package does not load, when it does not. */
  error?: string;
}

/** Every package in the registry, validated; broken ones are listed with their error. */
export function listPackages(o: RegistryOptions = {}): RegistryEntry[] {
  const reg = registryDir(o);
  if (!reg) throw new NunatakError('NOT_FOUND', 'no model registry is set', { hint: 'set NUNATAK_MODEL_REGISTRY or pass --registry DIR' });
  return listPackageNames(reg).map((name) => {
    const dir = join(reg, name);
    try {
      return { name, dir, package: readPackage(dir, name) };
    } catch (e) {
      return { name, dir, error: (e as Error).message };
    }
  });
}
