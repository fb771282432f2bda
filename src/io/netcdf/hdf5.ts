/**
 * NetCDF4 / HDF5 backend on h5wasm (the netCDF-4 model itself is in
 * nc4-model.ts). Used for files the pure-JS reader (hdf5-js.ts) does not
 * handle; starting h5wasm costs ~0.35 s. Hyperslabs are read with
 * `Dataset.slice`, which reads only the chunks needed.
 */
import { hdf5Truncation } from './hdf5-eof.js';
import { NunatakError } from '../../core/errors.js';
import { loadH5, type H5 } from './h5.js';
import { h5Reason } from './h5-error.js';
import type { Attrs, Backend, DType, DimInfo, NcFormat, RawArray, VarInfo } from './types.js';
import { nc4Model, readAttrs, readAttrTypes, type H5Attr, type H5Entry } from './nc4-model.js';
import { TYPED_ARRAY_CTORS } from '../../core/dtype.js';

export { DIM_WITHOUT_VARIABLE, dtypeOf } from './nc4-model.js';

/** h5wasm's view of an object's attributes, as the model reads them. */
function attrsOf(obj: H5.Dataset | H5.Group): H5Attr[] {
  return Object.entries(obj.attrs).map(([name, a]) => ({ name, meta: a.metadata, value: () => a.value }));
}

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
    const root = attrsOf(file);
    this.attrs = readAttrs(root, path);
    this.attrTypes = readAttrTypes(root);
    const entries: H5Entry[] = [];
    for (const name of file.keys()) {
      const e = file.get(name);
      if (!e || (e as { type?: string }).type !== 'Dataset') continue;
      const ds = e as H5.Dataset;
      const m = ds.metadata;
      entries.push({
        name,
        attrs: attrsOf(ds),
        meta: { ...m, shape: m.shape ?? [], maxshape: m.maxshape ?? undefined, chunks: m.chunks ?? undefined },
        attachedScale: (axis) => {
          try {
            const attached = ds.get_attached_scales(axis);
            return attached.length > 0 ? attached[0].replace(/^\//, '') : undefined;
          } catch {
            return undefined; // no DIMENSION_LIST on this dataset
          }
        },
        filters: ds.filters.map((f) => f.name || String(f.id)),
      });
      this.datasets.set(name, ds);
    }
    const model = nc4Model(path, entries);
    this.dims.push(...model.dims);
    this.vars.push(...model.vars);
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
