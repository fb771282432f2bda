/**
 * Zarr metadata documents for a `DatasetLayout` (src/io/netcdf/layout.ts), in
 * the conventions xarray reads: every array's dimension names in the
 * `_ARRAY_DIMENSIONS` attribute (format 2) or `dimension_names` (format 3),
 * CF attributes as JSON, the fill value in the array metadata (xarray takes it
 * as `_FillValue`). Chunks are stored uncompressed, little-endian, C order:
 * zarrita (the TypeScript zarr library used to write chunks) decodes zlib and
 * gzip but cannot encode them.
 */
import type { WriteAttr } from '../netcdf/h5-attrs.js';
import type { WriteDType } from '../netcdf/writer.js';
import { NUMPY_DESCR } from '../npy/npy.js';

/** Zarr format written: 2 (read by zarr-python 2 and xarray), or 3. */
export type ZarrFormat = 2 | 3;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A number as zarr JSON: NaN and infinities as the strings the zarr specs use. */
export function jsonNumber(x: number | bigint): number | string {
  if (typeof x === 'bigint') return Number(x);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

/** An attribute value as JSON (typed arrays as lists). */
export function jsonAttr(v: WriteAttr): Json {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return jsonNumber(v);
  return Array.from(v as ArrayLike<number | bigint>, (x) => jsonNumber(x));
}

export function jsonAttrs(attrs: Record<string, WriteAttr>): Record<string, Json> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, jsonAttr(v)]));
}

/** One array to describe. */
export interface ZarrArraySpec {
  shape: number[];
  chunks: number[];
  dtype: WriteDType;
  /** Fill value; null: none (format 3 needs one and gets 0). */
  fill: number | bigint | null;
  dims: string[];
  attrs: Record<string, WriteAttr>;
}

/** `.zarray` and `.zattrs` of a format-2 array. */
export function v2ArrayMeta(a: ZarrArraySpec): { zarray: Record<string, Json>; zattrs: Record<string, Json> } {
  return {
    zarray: {
      zarr_format: 2,
      shape: a.shape,
      chunks: a.chunks,
      dtype: NUMPY_DESCR[a.dtype],
      compressor: null,
      fill_value: a.fill === null ? null : jsonNumber(a.fill),
      order: 'C',
      filters: null,
      dimension_separator: '.',
    },
    zattrs: { _ARRAY_DIMENSIONS: a.dims, ...jsonAttrs(a.attrs) },
  };
}

/** zarrita `create` options of a format-3 array. */
export function v3ArrayOptions(a: ZarrArraySpec): { shape: number[]; chunkShape: number[]; dtype: WriteDType; fillValue: number; dimensionNames: string[]; attributes: Record<string, Json>; codecs: Array<{ name: string; configuration: Record<string, Json> }> } {
  return {
    shape: a.shape,
    chunkShape: a.chunks,
    dtype: a.dtype,
    fillValue: a.fill === null ? 0 : Number(a.fill),
    dimensionNames: a.dims,
    attributes: jsonAttrs(a.attrs),
    codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
  };
}
