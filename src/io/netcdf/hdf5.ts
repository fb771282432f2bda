/**
 * NetCDF4 / HDF5 backend on h5wasm. NetCDF-4 dimensions are HDF5 dimension
 * scales: a dataset with CLASS="DIMENSION_SCALE" is a dimension (and also a
 * coordinate variable unless its NAME says "not a netCDF variable"); other
 * datasets find their dimensions through the scales attached to each axis.
 * Axes without a scale (plain HDF5 files) get netCDF-C style phony dimensions.
 * Hyperslabs are read with `Dataset.slice`, which reads only the chunks needed.
 */
import { hdf5Truncation } from './hdf5-eof.js';
import { NunatakError } from '../../core/errors.js';
import { loadH5, type H5 } from './h5.js';
import { h5Reason } from './h5-error.js';
import type { Attrs, AttrValue, Backend, DType, DimInfo, NcFormat, RawArray, VarInfo } from './types.js';
import { TYPED_ARRAY_CTORS } from '../../core/dtype.js';

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

/** Map HDF5 type metadata to a DType, or undefined for types nunatak does not read. */
export function dtypeOf(m: H5.Metadata): DType | undefined {
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

function readAttrTypes(obj: H5.Dataset | H5.Group): Record<string, DType> {
  const out: Record<string, DType> = {};
  for (const [name, a] of Object.entries(obj.attrs)) {
    if (HIDDEN_ATTRS.has(name)) continue;
    const m = a.metadata;
    const t = dtypeOf(m);
    // Fixed-length strings are netCDF char attributes; variable-length ones are NC_STRING.
    if (t) out[name] = t === 'string' && !m.vlen ? 'char' : t;
  }
  return out;
}

function readAttrs(obj: H5.Dataset | H5.Group, path: string): Attrs {
  const out: Attrs = {};
  for (const [name, a] of Object.entries(obj.attrs)) {
    if (HIDDEN_ATTRS.has(name)) continue;
    let v: AttrValue | undefined;
    try {
      v = convertValue(a.value);
    } catch (e) {
      throw new NunatakError('IO', `${path}: cannot read attribute '${name}' (${(e as Error).message})`, { cause: e });
    }
    if (v !== undefined) out[name] = v;
  }
  return out;
}

const isUnlimited = (max: number | undefined) => max !== undefined && max > Number.MAX_SAFE_INTEGER;

export class Hdf5Backend implements Backend {
  readonly format: NcFormat = 'hdf5';
  readonly dims: DimInfo[] = [];
  readonly vars: VarInfo[] = [];
  readonly attrs: Attrs;
  readonly attrTypes: Record<string, DType>;
  private datasets = new Map<string, H5.Dataset>();

  private constructor(
    readonly path: string,
    private file: H5.File,
  ) {
    this.attrs = readAttrs(file, path);
    this.attrTypes = readAttrTypes(file);
    const entries: Array<[string, H5.Dataset]> = [];
    for (const name of file.keys()) {
      const e = file.get(name);
      if (e && (e as { type?: string }).type === 'Dataset') entries.push([name, e as H5.Dataset]);
    }
    // 1. dimensions: datasets that are dimension scales, in _Netcdf4Dimid order when present.
    const scales: Array<{ name: string; dimid: number; ds: H5.Dataset; coord: boolean }> = [];
    for (const [name, ds] of entries) {
      const attrs = ds.attrs;
      if (attrs.CLASS?.value !== 'DIMENSION_SCALE') continue;
      const label = String(attrs.NAME?.value ?? name);
      const dimid = Number(attrs._Netcdf4Dimid?.value ?? scales.length + 1e6);
      scales.push({ name, dimid, ds, coord: !label.startsWith(DIM_WITHOUT_VARIABLE) });
    }
    scales.sort((a, b) => a.dimid - b.dimid);
    for (const s of scales) {
      const m = s.ds.metadata;
      this.dims.push({ name: s.name, size: m.shape?.[0] ?? 0, unlimited: isUnlimited(m.maxshape?.[0]) });
    }
    // 2. variables.
    const phony = new Map<number, string>();
    for (const [name, ds] of entries) {
      const scale = scales.find((s) => s.name === name);
      if (scale && !scale.coord) continue;
      const m = ds.metadata;
      const dtype = dtypeOf(m);
      if (!dtype) continue; // compound / enum / reference datasets are outside the netCDF classic model
      const shape = m.shape ?? [];
      const dims = shape.map((n, axis) => {
        if (scale) return name;
        let attached: string[];
        try {
          attached = ds.get_attached_scales(axis);
        } catch {
          attached = []; // no DIMENSION_LIST on this dataset
        }
        if (attached.length > 0) return attached[0].replace(/^\//, '');
        // netCDF-C names unattached axes phony_dim_N, one per distinct length.
        let p = phony.get(n);
        if (!p) {
          p = `phony_dim_${phony.size}`;
          phony.set(n, p);
          this.dims.push({ name: p, size: n, unlimited: false });
        }
        return p;
      });
      const filters = ds.filters.map((f) => f.name || String(f.id));
      this.vars.push({
        name,
        dtype,
        dims,
        shape,
        attrs: readAttrs(ds, `${path}:${name}`),
        attrTypes: readAttrTypes(ds),
        chunks: m.chunks ?? undefined,
        filters: filters.length ? filters : undefined,
      });
      this.datasets.set(name, ds);
    }
  }

  static async open(path: string): Promise<Hdf5Backend> {
    const cut = hdf5Truncation(path);
    if (cut) {
      throw new NunatakError('IO', `${path}: file is truncated: ${cut.size} bytes, expected ${cut.expected} (${cut.source})`, {
        hint: 'the file was cut short, e.g. by an interrupted copy or download; copy it again',
      });
    }
    const h5 = await loadH5();
    let file: H5.File;
    try {
      file = new h5.File(path, 'r');
    } catch (e) {
      throw new NunatakError('IO', `${path}: HDF5 library cannot open the file (${h5Reason(e)})`, {
        hint: 'the file is truncated or damaged',
        cause: e,
      });
    }
    try {
      return new Hdf5Backend(path, file);
    } catch (e) {
      file.close();
      if (e instanceof NunatakError) throw e;
      throw new NunatakError('IO', `${path}: cannot read HDF5 structure (${h5Reason(e)})`, {
        hint: 'the file is truncated or damaged',
        cause: e,
      });
    }
  }

  readRaw(v: VarInfo, start: number[], count: number[]): RawArray {
    const ds = this.datasets.get(v.name)!;
    let out: unknown;
    try {
      if (v.shape.length === 0) out = ds.value;
      else if (count.some((c) => c === 0)) return emptyOf(v.dtype);
      else out = ds.slice(start.map((s, d) => [s, s + count[d]]));
    } catch (e) {
      throw new NunatakError('IO', `${this.path}: cannot read variable '${v.name}' (${String((e as Error).message ?? e)})`, {
        hint: 'the file is truncated or damaged',
        cause: e,
      });
    }
    if (typeof out === 'string') return [out];
    if (Array.isArray(out)) return out.map(String);
    if (typeof out === 'number' || typeof out === 'bigint') return wrapScalar(out, v.dtype);
    // h5wasm reads into the native (little-endian) type, converting big-endian data.
    return out as Exclude<RawArray, string[]>;
  }

  close(): void {
    this.file.close();
  }
}

const CTORS = TYPED_ARRAY_CTORS;

function emptyOf(dtype: DType): RawArray {
  if (dtype === 'string' || dtype === 'char') return [];
  return new CTORS[dtype](0);
}

function wrapScalar(x: number | bigint, dtype: DType): RawArray {
  if (dtype === 'string' || dtype === 'char') return [String(x)];
  const C = CTORS[dtype] as unknown as { new (n: number): { [i: number]: number | bigint } & RawArray };
  const a = new C(1);
  a[0] = x;
  return a;
}
