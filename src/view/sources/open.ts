/**
 * Open a served file as a ViewSource by its magic bytes, keeping the last few
 * open (reopened when the file's size or mtime changes, e.g. a run still writing it).
 */
import { statSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';
import { fileKind, isZarrStore } from '../../io/index.js';
import { openGeotiffSource } from './geotiff-source.js';
import { openNetcdfSource } from './netcdf-source.js';
import { openNpySource } from './npy-source.js';
import { openZarrSource } from './zarr-source.js';
import type { ViewSource } from './source.js';

const KEEP = 8;

export class SourceCache {
  private open = new Map<string, { stamp: string; src: ViewSource }>();

  async get(real: string): Promise<ViewSource> {
    const st = statSync(real);
    const stamp = `${st.size}:${st.mtimeMs}`;
    const hit = this.open.get(real);
    if (hit && hit.stamp === stamp) {
      // most recently used last
      this.open.delete(real);
      this.open.set(real, hit);
      return hit.src;
    }
    if (hit) this.drop(real);
    const src = await openSource(real);
    this.open.set(real, { stamp, src });
    while (this.open.size > KEEP) this.drop(this.open.keys().next().value as string);
    return src;
  }

  private drop(real: string): void {
    const e = this.open.get(real);
    this.open.delete(real);
    try {
      e?.src.close();
    } catch {
      // closing a broken file must not fail the request that replaced it
    }
  }

  closeAll(): void {
    for (const k of [...this.open.keys()]) this.drop(k);
  }
}

/** Open `real` by its contents; unknown formats are a NunatakError('IO'). */
export async function openSource(real: string): Promise<ViewSource> {
  if (isZarrStore(real)) return openZarrSource(real);
  const kind = fileKind(real);
  if (kind === 'netcdf') return openNetcdfSource(real);
  if (kind === 'npy') return openNpySource(real);
  if (kind === 'geotiff') return openGeotiffSource(real);
  throw new NunatakError('IO', `${real}: not a file nunatak view can show`, { hint: 'view reads NetCDF3, NetCDF4/HDF5, .npy and GeoTIFF files and zarr stores (v2, v3)' });
}
