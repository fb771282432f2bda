/**
 * Read-only access to the files of one zarr store folder for zarrita: every
 * key is resolved with symlinks followed and refused when it leaves the store,
 * so the store's internals are read only through the source (the path guard
 * of the served roots stops at the store folder).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AbsolutePath, AsyncReadable } from '@zarrita/storage';
import { NunatakError } from '../../core/errors.js';
import { isInside } from '../path-guard.js';

export class GuardedZarrStore implements AsyncReadable {
  /** @param root real path of the store folder */
  constructor(readonly root: string) {}

  /** Real path of `rel` inside the store, or undefined when it does not exist; throws when it leads outside. */
  private real(rel: string): string | undefined {
    let real: string;
    try {
      real = realpathSync(join(this.root, ...rel.split('/').filter((s) => s !== '')));
    } catch {
      return undefined;
    }
    if (!isInside(this.root, real)) throw new NunatakError('IO', `${this.root}: '${rel}' leads outside the zarr store`, { hint: 'a store must not link to files outside its folder' });
    return real;
  }

  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    const real = this.real(key);
    if (!real || !statSync(real).isFile()) return undefined;
    return new Uint8Array(readFileSync(real));
  }

  /** JSON document at `rel`, or undefined when the file is missing; malformed JSON is an error naming the file. */
  json(rel: string): Record<string, unknown> | undefined {
    const real = this.real(rel);
    if (!real || !statSync(real).isFile()) return undefined;
    try {
      const o: unknown = JSON.parse(readFileSync(real, 'utf8'));
      if (o && typeof o === 'object' && !Array.isArray(o)) return o as Record<string, unknown>;
    } catch {
      // fall through to the error below
    }
    throw new NunatakError('IO', `${this.root}: ${rel} is not a JSON object`, { hint: 'the store metadata is corrupt; rewrite the store' });
  }

  /** Sub-folders of the store's root (array candidates), sorted, hidden ones left out. */
  folders(): string[] {
    return readdirSync(this.root)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .filter((n) => {
        const r = this.real(n);
        return r !== undefined && statSync(r).isDirectory();
      });
  }
}
