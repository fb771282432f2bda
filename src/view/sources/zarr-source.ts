/**
 * Zarr stores (format 2 with xarray's `_ARRAY_DIMENSIONS`, or format 3 with
 * `dimension_names`): the arrays at the store's root as variables, opened
 * lazily with zarrita. A slab read fetches only the chunks it overlaps
 * (zarr-slab.ts); values are CF-decoded as the NetCDF source's, with the
 * fill value masking as xarray decides (format 2: the array's fill_value is
 * `_FillValue`; format 3: only a `_FillValue` attribute). Only 1-D coordinate
 * arrays are read when the store is opened. Nested groups are not shown.
 */
import { basename } from 'node:path';
import * as zarr from 'zarrita';
import { NunatakError } from '../../core/errors.js';
import { axisOf, cfDecode, crsFromAttrs, decodeTimes, formatCfDate, type Attrs, type DType, type VarInfo } from '../../io/index.js';
import type { CoordMeta, VarMeta } from '../protocol.js';
import { crsMeta } from './crs-meta.js';
import { jsonAttrs, type ViewSource } from './source.js';
import { readZarrSlab } from './zarr-slab.js';
import { GuardedZarrStore } from './zarr-store.js';

/** Coordinate arrays longer than this are not read with the metadata. */
const MAX_COORD = 100_000;
const NUMERIC = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'bool']);

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
    if (!NUMERIC.has(arr.dtype)) continue; // text and object arrays are not shown
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
    let raw: Float64Array;
    try {
      raw = await readZarrSlab(e.arr, start, count, `${path}: '${name}'`);
    } catch (err) {
      if (err instanceof NunatakError) throw err;
      throw new NunatakError('IO', `${path}: cannot read '${name}' [${start.join(', ')}] + [${count.join(', ')}]: ${(err as Error).message}`, { hint: 'a chunk file of the store may be corrupt or use an unsupported codec', cause: err });
    }
    return cfDecode(e.info, raw, undefined, `${path}: ${name}`);
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
