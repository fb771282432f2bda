/**
 * What the viewer needs from a file, whatever its format: dimensions,
 * variables with attributes, coordinates, and CF-decoded hyperslab reads
 * (NaN for missing values) that touch only the requested part of the file.
 */
import type { CoordMeta, CrsMeta, JsonAttrs, VarMeta } from '../protocol.js';

export interface ViewSource {
  kind: 'netcdf' | 'npy' | 'geotiff' | 'zarr';
  /** Container format, e.g. "netcdf3-classic", "hdf5", "npy 1.0", "GeoTIFF". */
  format: string;
  attrs: JsonAttrs;
  dims: Array<{ name: string; size: number }>;
  vars: VarMeta[];
  /** Coordinate values per dimension name (only dims that have them). */
  coords(): Record<string, CoordMeta>;
  /** Decoded values of the hyperslab (start, count per dim), C order; asynchronous where the reader is (zarr). */
  read(name: string, start: number[], count: number[]): ArrayLike<number> | Promise<ArrayLike<number>>;
  close(): void;
}

export type { CrsMeta };

/** A number JSON can carry: bigints → numbers, NaN / ±Infinity → their names (JSON would make them null). */
const jsonNum = (x: unknown) => (typeof x === 'bigint' ? Number(x) : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x);

/** Attributes as JSON. */
export function jsonAttrs(a: Record<string, unknown>): JsonAttrs {
  const out: JsonAttrs = {};
  for (const [k, v] of Object.entries(a)) out[k] = (Array.isArray(v) ? v.map(jsonNum) : jsonNum(v)) as JsonAttrs[string];
  return out;
}
