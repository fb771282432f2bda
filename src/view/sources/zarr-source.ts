/**
 * Zarr stores (format 2 with xarray's `_ARRAY_DIMENSIONS`, or format 3 with
 * `dimension_names`): the arrays at the store's root as variables, opened
 * lazily with zarrita. A slab read fetches only the chunks it overlaps;
 * values are CF-decoded as the NetCDF source's (the array's fill value is its
 * `_FillValue`, as xarray takes it). Only 1-D coordinate arrays are read when
 * the store is opened.
 */
import { basename } from 'node:path';
import * as zarr from 'zarrita';
import { NunatakError } from '../../core/errors.js';
import { axisOf, cfDecode, crsFromAttrs, decodeTimes, formatCfDate, type Attrs, type DType, type VarInfo } from '../../io/index.js';
import type { CoordMeta, VarMeta } from '../protocol.js';
import { crsMeta } from './crs-meta.js';
import { jsonAttrs, type ViewSource } from './source.js';
import { GuardedZarrStore } from './zarr-store.js';

/** Coordinate arrays longer than this are not read with the metadata. */
const MAX_COORD = 100_000;
/** Bytes per element of the numeric dtypes shown. */
const ITEM: Record<string, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8, bool: 1 };

/** True when the array's chunks are stored raw (no compressor or filter): their byte length is then known. */
function uncompressed(store: GuardedZarrStore, path: string, v3: boolean): boolean {
  const rel = path === '/' ? '' : path.slice(1);
  if (v3) {
    const codecs = store.json(`${rel}/zarr.json`)?.codecs;
    return Array.isArray(codecs) && codecs.every((c: { name?: unknown }) => c?.name === 'bytes' || c?.name === 'transpose');
  }
  const z = store.json(`${rel}/.zarray`);
  return z?.compressor === null && (z.filters === null || z.filters === undefined);
}

type ZArray = zarr.Array<zarr.DataType, GuardedZarrStore>;
interface Entry {
  arr: ZArray;
  info: VarInfo;
}

/** Array names at the store root (a store that is itself one array gives one variable named after the folder). */
function arrayNames(store: GuardedZarrStore, v3: boolean): Array<[string, string]> {
  const isArray = (rel: string) => (v3 ? store.json(`${rel}/zarr.json`)?.node_type === 'array' : store.json(`${rel}/.zarray`) !== undefined);
  if (isArray('')) return [[basename(store.root).replace(/\.zarr$/i, '') || 'array', '/']];
  return store.folders().filter(isArray).map((n) => [n, `/${n}`]);
}

async function openArray(store: GuardedZarrStore, name: string, path: string, v3: boolean): Promise<ZArray> {
  const loc = zarr.root(store).resolve(path);
  try {
    return (await (v3 ? zarr.open.v3(loc, { kind: 'array' }) : zarr.open.v2(loc, { kind: 'array' }))) as ZArray;
  } catch (e) {
    if (e instanceof NunatakError) throw e;
    throw new NunatakError('IO', `${store.root}: array '${name}' has unreadable zarr metadata: ${(e as Error).message}`, {
      hint: `check ${name}/${v3 ? 'zarr.json' : '.zarray'}`,
      cause: e,
    });
  }
}

/** Values of a zarrita chunk in C order of its shape, as float64 (whatever strides the array's order gives). */
function cOrder(c: zarr.Chunk<zarr.DataType>): Float64Array {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  const d = c.data as unknown as { get?: (i: number) => boolean } & ArrayLike<number | bigint>;
  const at = (k: number) => (d.get ? Number(d.get(k)) : Number(d[k]));
  const idx = new Array<number>(c.shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let j = 0; j < idx.length; j++) off += idx[j] * c.stride[j];
    out[k] = at(off);
    for (let j = idx.length - 1; j >= 0; j--) {
      if (++idx[j] < c.shape[j]) break;
      idx[j] = 0;
    }
  }
  return out;
}

function mapAxes(dims: string[], byName: Map<string, Entry>): VarMeta['map'] {
  if (dims.length < 2) return undefined;
  const axis = (d: string) => axisOf(byName.get(d)?.info ?? { name: d, dtype: 'float64', dims: [d], shape: [], attrs: {} });
  const y = dims.findLastIndex((d) => axis(d) === 'y');
  const x = dims.findLastIndex((d) => axis(d) === 'x');
  return y >= 0 && x >= 0 && x !== y ? { y, x } : { y: dims.length - 2, x: dims.length - 1 };
}

/** Open the zarr store folder `path` (its real path). */
export async function openZarrSource(path: string): Promise<ViewSource> {
  const store = new GuardedZarrStore(path);
  const v3 = store.json('zarr.json') !== undefined;
  const group = v3 ? store.json('zarr.json') : store.json('.zgroup');
  const globals = (v3 ? (group?.attributes as Attrs | undefined) : (store.json('.zattrs') as Attrs | undefined)) ?? {};
  const entries = new Map<string, Entry>();
  for (const [name, p] of arrayNames(store, v3)) {
    const arr = await openArray(store, name, p, v3);
    if (!(arr.dtype in ITEM)) continue; // text and object arrays are not shown
    if (uncompressed(store, p, v3)) store.expectChunkBytes(p === '/' ? '/' : `${p}/`, arr.chunks.reduce((a, b) => a * b, ITEM[arr.dtype]));
    const { _ARRAY_DIMENSIONS: named, ...attrs } = arr.attrs as Attrs & { _ARRAY_DIMENSIONS?: unknown };
    const given = v3 ? arr.dimensionNames : named;
    const ok = Array.isArray(given) && given.length === arr.shape.length && given.every((d) => typeof d === 'string' && d !== '');
    const dims = ok ? (given as string[]) : arr.shape.map((_, k) => `${name}_dim_${k}`);
    const fill = arr.fillValue;
    const decode: Attrs = { ...attrs };
    // format 2: the fill value masks (xarray's _FillValue); format 3 requires one, so only a _FillValue attribute masks (as xarray)
    if (!v3 && fill !== null && fill !== undefined && typeof fill !== 'boolean' && decode._FillValue === undefined) decode._FillValue = typeof fill === 'bigint' ? Number(fill) : (fill as number);
    const dtype = (arr.dtype === 'bool' ? 'uint8' : arr.dtype) as DType;
    entries.set(name, { arr, info: { name, dtype, dims, shape: arr.shape, attrs: decode } });
  }
  const dimSize = new Map<string, number>();
  // dims in the order of the array with most dims first (time, y, x rather than alphabetical)
  for (const { info } of [...entries.values()].sort((a, b) => b.info.dims.length - a.info.dims.length)) {
    info.dims.forEach((d, k) => {
      const n = dimSize.get(d);
      if (n !== undefined && n !== info.shape[k]) throw new NunatakError('IO', `${path}: dimension '${d}' has length ${n} in one array and ${info.shape[k]} in '${info.name}'`, { hint: 'the _ARRAY_DIMENSIONS / dimension_names of the store disagree' });
      dimSize.set(d, info.shape[k]);
    });
  }

  const read = async (name: string, start: number[], count: number[]): Promise<Float32Array | Float64Array> => {
    const e = entries.get(name);
    if (!e) throw new NunatakError('NOT_FOUND', `${path}: no array '${name}'`);
    let chunk: zarr.Chunk<zarr.DataType>;
    try {
      chunk = (await zarr.get(e.arr, start.map((s, k) => zarr.slice(s, s + count[k])))) as zarr.Chunk<zarr.DataType>;
    } catch (err) {
      if (err instanceof NunatakError) throw err;
      throw new NunatakError('IO', `${path}: cannot read '${name}' [${start.join(', ')}] + [${count.join(', ')}]: ${(err as Error).message}`, { hint: 'a chunk file of the store may be corrupt or use an unsupported codec', cause: err });
    }
    return cfDecode(e.info, cOrder(chunk), undefined, `${path}: ${name}`);
  };

  const coords: Record<string, CoordMeta> = {};
  for (const [d, n] of dimSize) {
    const e = entries.get(d);
    if (!e || e.info.shape.length !== 1 || n > MAX_COORD) continue;
    const values = Array.from(await read(d, [0], [n]));
    const units = typeof e.info.attrs.units === 'string' ? e.info.attrs.units : undefined;
    const c: CoordMeta = { values, units };
    if (units && / since /.test(units)) {
      try {
        const cal = typeof e.info.attrs.calendar === 'string' ? e.info.attrs.calendar : undefined;
        c.labels = decodeTimes(values, units, cal, `${path}: ${d}`).map((t) => (t ? formatCfDate(t) : ''));
      } catch {
        // not a decodable CF time: show the numbers
      }
    }
    coords[d] = c;
  }

  const vars: VarMeta[] = [...entries.values()].map(({ arr, info }) => {
    const gm = info.attrs.grid_mapping;
    const gmEntry = typeof gm === 'string' ? entries.get(gm) : undefined;
    const crs = gmEntry ? crsMeta(crsFromAttrs(gmEntry.info.attrs), `${path}: ${String(gm)}`) : undefined;
    const shown = jsonAttrs(info.attrs);
    return { name: info.name, dtype: arr.dtype, dims: info.dims, shape: info.shape, attrs: shown, map: mapAxes(info.dims, entries), crs };
  });
  return {
    kind: 'zarr',
    format: `zarr v${v3 ? 3 : 2}`,
    attrs: jsonAttrs(globals),
    dims: [...dimSize].map(([name, size]) => ({ name, size })),
    vars,
    coords: () => coords,
    read,
    close: () => undefined,
  };
}
