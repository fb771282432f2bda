/**
 * The only paths `nunatak view` serves: the files and folders named on the
 * command line. A request names a file as `<root index>/<path inside root>`;
 * `..` segments, absolute paths, NUL bytes and anything whose real path
 * (symlinks resolved) leaves the root are refused.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { NunatakError } from '../core/errors.js';

/** A refused request path: the server answers 403. */
export class ForbiddenPath extends Error {
  constructor(readonly what: string) {
    super(`forbidden path '${what}'`);
  }
}

export interface Root {
  /** Real path (symlinks resolved). */
  real: string;
  /** As given on the command line. */
  given: string;
  isDir: boolean;
}

/** Resolve the command-line paths; a missing one is an error naming it. */
export function makeRoots(paths: string[]): Root[] {
  return paths.map((p) => {
    let real: string;
    try {
      real = realpathSync(resolve(p));
    } catch {
      throw new NunatakError('NOT_FOUND', `${p}: no such file or folder`, { hint: 'nunatak view takes files and folders to serve' });
    }
    return { real, given: p, isDir: statSync(real).isDirectory() };
  });
}

/** True when `real` is `root` or lies inside it. */
export function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Real path of file id `<k>/<rel>` (rel already percent-decoded, '/'-separated).
 * Throws ForbiddenPath for escapes, NunatakError NOT_FOUND for missing files.
 */
export function resolveId(roots: Root[], id: string): string {
  if (id.includes('\0') || id.includes('\\')) throw new ForbiddenPath(id);
  const slash = id.indexOf('/');
  const k = Number(slash < 0 ? id : id.slice(0, slash));
  const rel = slash < 0 ? '' : id.slice(slash + 1);
  if (!Number.isInteger(k) || k < 0 || k >= roots.length) throw new NunatakError('NOT_FOUND', `no served path number '${id.split('/')[0]}'`);
  const segs = rel.split('/').filter((s) => s !== '' && s !== '.');
  if (isAbsolute(rel) || segs.some((s) => s === '..')) throw new ForbiddenPath(id);
  const root = roots[k];
  if (!root.isDir && segs.length > 0) throw new ForbiddenPath(id);
  let real: string;
  try {
    real = realpathSync(join(root.real, ...segs));
  } catch {
    throw new NunatakError('NOT_FOUND', `${id}: no such file`);
  }
  if (!isInside(root.real, real)) throw new ForbiddenPath(id);
  return real;
}
