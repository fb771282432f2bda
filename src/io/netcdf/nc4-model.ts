/**
 * The netCDF-4 data model over an HDF5 root group, shared by the h5wasm and
 * the pure-JS readers: datasets with CLASS="DIMENSION_SCALE" are dimensions
 * (and coordinate variables unless their NAME says "not a netCDF variable");
 * other datasets find their dimensions through the scales attached to each
 * axis; axes without a scale (plain HDF5 files) get netCDF-C style phony
 * dimensions. Attributes that implement the model are hidden.
 */
import { NunatakError } from '../../core/errors.js';
import type { Attrs, AttrValue, DType, DimInfo, VarInfo } from './types.js';

/** netCDF-C marks dimensions without a coordinate variable with this NAME prefix. */
export const DIM_WITHOUT_VARIABLE = 'This is a netCDF dimension but not a netCDF variable.';

/** Attributes that implement the netCDF-4 data model and are not user attributes. */
const HIDDEN_ATTRS = new Set([
  'CLASS',
  'NAME',
  'DIMENSION_LIST',
  'REFERENCE_LIST',
  '_Netcdf4Dimid',
  '_Netcdf4Coordinates',
  '_NCProperties',
  '_nc3_strict',
  '_SuperblockVersion',
  '_IsNetcdf4',
]);

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;

/** HDF5 type facts, as h5wasm's metadata gives them. */
export interface H5TypeMeta {
  type: number;
  size: number;
  signed: boolean;
  vlen: boolean;
}

/** Map HDF5 type metadata to a DType, or undefined for types nunatak does not read. */
export function dtypeOf(m: H5TypeMeta): DType | undefined {
  if (m.type === H5T_FLOAT) return m.size === 4 ? 'float32' : m.size === 8 ? 'float64' : undefined;
  if (m.type === H5T_INTEGER) {
    const bits = m.size * 8;
    if (![8, 16, 32, 64].includes(bits)) return undefined;
    return `${m.signed ? 'int' : 'uint'}${bits}` as DType;
  }
  if (m.type === H5T_STRING) return 'string';
  return undefined;
}

function convertValue(v: unknown): AttrValue | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (ArrayBuffer.isView(v)) {
    const arr = Array.from(v as unknown as ArrayLike<number | bigint>);
    if (arr.length === 1) return arr[0];
    return typeof arr[0] === 'bigint' ? (arr as bigint[]) : (arr as number[]);
  }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return v.length === 1 ? v[0] : (v as string[]);
    if (v.every((x) => typeof x === 'number')) return v.length === 1 ? v[0] : (v as number[]);
  }
  return undefined; // references, compounds: not user-visible in the netCDF model
}

/** One attribute of an HDF5 object: its type and (read on demand) its value. */
export interface H5Attr {
  name: string;
  meta: H5TypeMeta;
  value(): unknown;
}

/** One dataset of the root group as the model needs it. */
export interface H5Entry {
  name: string;
  attrs: H5Attr[];
  meta: H5TypeMeta & { shape: number[]; maxshape?: number[]; chunks?: number[] };
  /** Name of the first dimension scale attached to `axis`, if any. */
  attachedScale(axis: number): string | undefined;
  filters: string[];
}

export function readAttrTypes(attrs: H5Attr[]): Record<string, DType> {
  const out: Record<string, DType> = {};
  for (const a of attrs) {
    if (HIDDEN_ATTRS.has(a.name)) continue;
    const t = dtypeOf(a.meta);
    // Fixed-length strings are netCDF char attributes; variable-length ones are NC_STRING.
    if (t) out[a.name] = t === 'string' && !a.meta.vlen ? 'char' : t;
  }
  return out;
}

export function readAttrs(attrs: H5Attr[], path: string): Attrs {
  const out: Attrs = {};
  for (const a of attrs) {
    if (HIDDEN_ATTRS.has(a.name)) continue;
    let v: AttrValue | undefined;
    try {
      v = convertValue(a.value());
    } catch (e) {
      throw new NunatakError('IO', `${path}: cannot read attribute '${a.name}' (${(e as Error).message})`, { cause: e });
    }
    if (v !== undefined) out[a.name] = v;
  }
  return out;
}

const isUnlimited = (max: number | undefined) => max !== undefined && max > Number.MAX_SAFE_INTEGER;
const attrValue = (e: H5Entry, name: string): unknown => e.attrs.find((a) => a.name === name)?.value();

/** Dimensions and variables of a root group's datasets; `path` names the file in errors. */
export function nc4Model(path: string, entries: H5Entry[]): { dims: DimInfo[]; vars: VarInfo[]; used: H5Entry[] } {
  const dims: DimInfo[] = [];
  const vars: VarInfo[] = [];
  const used: H5Entry[] = [];
  // 1. dimensions: datasets that are dimension scales, in _Netcdf4Dimid order when present.
  const scales: Array<{ name: string; dimid: number; e: H5Entry; coord: boolean }> = [];
  for (const e of entries) {
    if (attrValue(e, 'CLASS') !== 'DIMENSION_SCALE') continue;
    const label = String(attrValue(e, 'NAME') ?? e.name);
    const dimid = Number(attrValue(e, '_Netcdf4Dimid') ?? scales.length + 1e6);
    scales.push({ name: e.name, dimid, e, coord: !label.startsWith(DIM_WITHOUT_VARIABLE) });
  }
  scales.sort((a, b) => a.dimid - b.dimid);
  for (const s of scales) dims.push({ name: s.name, size: s.e.meta.shape[0] ?? 0, unlimited: isUnlimited(s.e.meta.maxshape?.[0]) });
  // 2. variables.
  const phony = new Map<number, string>();
  for (const e of entries) {
    const scale = scales.find((s) => s.name === e.name);
    if (scale && !scale.coord) continue;
    const dtype = dtypeOf(e.meta);
    if (!dtype) continue; // compound / enum / reference datasets are outside the netCDF classic model
    const shape = e.meta.shape;
    const vdims = shape.map((n, axis) => {
      if (scale) return e.name;
      const attached = e.attachedScale(axis);
      if (attached !== undefined) return attached;
      // netCDF-C names unattached axes phony_dim_N, one per distinct length.
      let p = phony.get(n);
      if (!p) {
        p = `phony_dim_${phony.size}`;
        phony.set(n, p);
        dims.push({ name: p, size: n, unlimited: false });
      }
      return p;
    });
    vars.push({
      name: e.name,
      dtype,
      dims: vdims,
      shape,
      attrs: readAttrs(e.attrs, `${path}:${e.name}`),
      attrTypes: readAttrTypes(e.attrs),
      chunks: e.meta.chunks,
      filters: e.filters.length ? e.filters : undefined,
    });
    used.push(e);
  }
  return { dims, vars, used };
}
