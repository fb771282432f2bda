/**
 * Zarr store writer (a folder, e.g. `forecast.zarr`) for the same dataset
 * description as the NetCDF4 writer (`WriterOptions`, laid out by
 * src/io/netcdf/layout.ts): coordinate arrays, the scalar `crs` grid-mapping
 * array, data variables with CF attributes. Format 2 (default) is what
 * zarr-python 2 and `xarray.open_zarr` read, with consolidated metadata
 * (`.zmetadata`); format 3 is written through zarrita's `create`. Chunks are
 * written with zarrita (`set`), uncompressed. The metadata is built in a
 * temporary folder renamed into place, so a half-created store never has the
 * final name; chunks then go straight into the store, so a store that a
 * killed run leaves behind holds every chunk written and reads the rest as
 * the fill value.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { NunatakError } from '../../core/errors.js';
import { ioError } from '../../core/out-path.js';
import { TYPED_ARRAY_CTORS } from '../../core/dtype.js';
import { datasetLayout } from '../netcdf/layout.js';
import { parseTimeUnits } from '../netcdf/cf-time.js';
import type { WriterOptions } from '../netcdf/writer.js';
import { jsonAttrs, v2ArrayMeta, v3ArrayOptions, type ZarrArraySpec, type ZarrFormat } from './metadata.js';

export interface ZarrWriterOptions extends WriterOptions {
  /** Time coordinate values, already encoded in `time.units`; their number sizes the `time` dimension. */
  times?: ArrayLike<number>;
  /** Zarr format: 2 (default; xarray with zarr-python 2 reads it) or 3. */
  zarrFormat?: ZarrFormat;
  /** Chunk shape per data variable; default: one time record per chunk for variables over time, else the whole array. */
  chunks?: Record<string, number[]>;
}

type AnyArray = ArrayLike<number> | ArrayLike<bigint>;
type ZArray = zarr.Array<zarr.DataType, FileSystemStore>;

/** True when `dir` holds a zarr store's root metadata (format 2 or 3). */
export function isZarrStore(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && ['.zgroup', '.zarray', 'zarr.json'].some((f) => existsSync(join(dir, f)));
}

const enc = new TextEncoder();
const jsonBytes = (o: unknown) => enc.encode(JSON.stringify(o, null, 2));

export class ZarrWriter {
  private arrays = new Map<string, ZArray>();
  private readonly store: FileSystemStore;

  private constructor(readonly path: string) {
    this.store = new FileSystemStore(path);
  }

  /** Create the store with its metadata, coordinates, time values and `crs`; data variables start as their fill value. */
  static async create(path: string, o: ZarrWriterOptions): Promise<ZarrWriter> {
    const format = o.zarrFormat ?? 2;
    if (format !== 2 && format !== 3) throw new NunatakError('CONFIG', `${path}: zarr format ${String(format)} is not 2 or 3`);
    if (existsSync(path)) {
      if (!o.overwrite) throw new NunatakError('IO', `${path}: exists`, { hint: 'remove it, pass --overwrite, or choose another output' });
      // Only a zarr store is removed: an overwrite must never empty an unrelated folder.
      if (statSync(path).isDirectory() && !isZarrStore(path)) throw new NunatakError('IO', `${path}: exists and is not a zarr store; not overwriting it`, { hint: 'choose another output path' });
    }
    // zarrita cannot encode zlib/gzip: say so rather than write uncompressed chunks silently
    if (o.deflate) throw new NunatakError('CONFIG', `${path}: zarr stores are written uncompressed; deflate ${o.deflate} is not supported`, { hint: 'leave deflate out for zarr output' });
    if (o.time) {
      parseTimeUnits(o.time.units, o.time.calendar, `${path}: time`);
      if (!o.times) throw new NunatakError('CONFIG', `${path}: a zarr store with a time axis needs its time values (times)`);
    }
    const layout = datasetLayout(path, o, o.times?.length ?? 0);
    const specs: Array<[string, ZarrArraySpec]> = [];
    for (const d of layout.dims) {
      // A dimension without values is still named by _ARRAY_DIMENSIONS; it gets no array (as xarray writes it).
      const values = d.time ? Float64Array.from(o.times!) : d.values;
      if (values) specs.push([d.name, { shape: [d.size], chunks: [Math.max(1, d.size)], dtype: 'float64', fill: null, dims: [d.name], attrs: d.attrs }]);
    }
    if (layout.crs) specs.push(['crs', { shape: [], chunks: [], dtype: 'int32', fill: null, dims: [], attrs: layout.crs }]);
    for (const v of layout.vars) {
      const chunks = o.chunks?.[v.name] ?? (v.record ? [1, ...v.shape.slice(1)] : v.shape);
      if (chunks.length !== v.shape.length || chunks.some((c) => !Number.isInteger(c) || c < 0)) {
        throw new NunatakError('CONFIG', `${path}: chunk shape [${chunks.join(', ')}] of '${v.name}' does not fit its shape [${v.shape.join(', ')}]`);
      }
      specs.push([v.name, { shape: v.shape, chunks: chunks.map((c) => Math.max(1, c)), dtype: v.dtype, fill: v.fill, dims: v.dims, attrs: v.attrs }]);
    }
    const tmp = `${path}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      mkdirSync(tmp, { recursive: true });
      const tw = new ZarrWriter(tmp);
      if (format === 2) await tw.metadataV2(layout.globals, specs);
      else await tw.metadataV3(layout.globals, specs);
      for (const d of layout.dims) {
        const values = d.time ? o.times : d.values;
        if (values && d.size > 0) await tw.write(d.name, values);
      }
      if (layout.crs) await tw.write('crs', [0]);
      if (existsSync(path)) rmSync(path, { recursive: true, force: true });
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw ioError(path, 'cannot create zarr store', e);
    }
    return new ZarrWriter(path);
  }

  /** Reopen a store (to continue an interrupted run). */
  static open(path: string): ZarrWriter {
    if (!isZarrStore(path)) throw new NunatakError('NOT_FOUND', `${path}: not a zarr store (no .zgroup or zarr.json)`);
    return new ZarrWriter(path);
  }

  /** Format 2: .zgroup/.zattrs, each array's .zarray/.zattrs, and all of them consolidated in .zmetadata. */
  private async metadataV2(globals: Record<string, unknown>, specs: Array<[string, ZarrArraySpec]>): Promise<void> {
    const docs: Record<string, unknown> = { '.zgroup': { zarr_format: 2 }, '.zattrs': jsonAttrs(globals as never) };
    for (const [name, s] of specs) {
      const { zarray, zattrs } = v2ArrayMeta(s);
      docs[`${name}/.zarray`] = zarray;
      docs[`${name}/.zattrs`] = zattrs;
    }
    for (const [key, doc] of Object.entries(docs)) await this.store.set(`/${key}`, jsonBytes(doc));
    await this.store.set('/.zmetadata', jsonBytes({ zarr_consolidated_format: 1, metadata: docs }));
  }

  /** Format 3: zarr.json of the group and of each array, through zarrita's `create`. */
  private async metadataV3(globals: Record<string, unknown>, specs: Array<[string, ZarrArraySpec]>): Promise<void> {
    const root = zarr.root(this.store);
    await zarr.create(root, { attributes: jsonAttrs(globals as never) });
    for (const [name, s] of specs) await zarr.create(root.resolve(name), v3ArrayOptions(s) as never);
  }

  private async array(name: string): Promise<ZArray> {
    let a = this.arrays.get(name);
    if (!a) {
      try {
        a = (await zarr.open(zarr.root(this.store).resolve(name), { kind: 'array' })) as ZArray;
      } catch (e) {
        throw new NunatakError('NOT_FOUND', `${this.path}: no array '${name}' in the store`, { cause: e });
      }
      this.arrays.set(name, a);
    }
    return a;
  }

  /** Write a whole array (C order). */
  async write(name: string, data: AnyArray): Promise<void> {
    const a = await this.array(name);
    await this.writeBlock(name, a.shape.map(() => 0), a.shape, data);
  }

  /** Write the block of `shape` starting at index `start` (C order values). */
  async writeBlock(name: string, start: number[], shape: number[], data: AnyArray): Promise<void> {
    const a = await this.array(name);
    const n = shape.reduce((p, s) => p * s, 1);
    if (start.length !== a.shape.length || shape.length !== a.shape.length || start.some((s, k) => s < 0 || s + shape[k] > a.shape[k])) {
      throw new NunatakError('SHAPE', `${this.path}: block at [${start.join(', ')}] of shape [${shape.join(', ')}] is outside '${name}' [${a.shape.join(', ')}]`);
    }
    if (data.length !== n) throw new NunatakError('SHAPE', `${this.path}: '${name}' block [${shape.join(', ')}] needs ${n} values, got ${data.length}`);
    const C = TYPED_ARRAY_CTORS[a.dtype as keyof typeof TYPED_ARRAY_CTORS];
    if (!C) throw new NunatakError('DTYPE', `${this.path}: '${name}' has dtype ${a.dtype}, which nunatak does not write`);
    const big = a.dtype === 'int64' || a.dtype === 'uint64';
    const typed = data instanceof C ? data : big ? (C as typeof BigInt64Array).from(data as ArrayLike<number>, (x) => BigInt(x)) : (C as typeof Float64Array).from(data as ArrayLike<number>, Number);
    const stride = shape.map((_, k) => shape.slice(k + 1).reduce((p, s) => p * s, 1));
    try {
      if (a.shape.length === 0) await zarr.set(a, [], typed[0] as never);
      else await zarr.set(a, start.map((s, k) => zarr.slice(s, s + shape[k])), { data: typed, shape, stride } as never);
    } catch (e) {
      throw ioError(this.path, `cannot write '${name}' to zarr store`, e);
    }
  }
}

/** Create a zarr store; see `ZarrWriterOptions`. */
export function createZarr(path: string, o: ZarrWriterOptions): Promise<ZarrWriter> {
  return ZarrWriter.create(path, o);
}
