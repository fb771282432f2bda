/**
 * One reading API over NetCDF3 (classic, 64-bit offset) and NetCDF4/HDF5:
 * `openDataset(path)` sniffs the magic bytes and returns a `Dataset` listing
 * dimensions, variables and attributes, and reading whole variables or
 * hyperslabs, raw or CF-decoded (scale/offset, fill → NaN).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { NunatakError, didYouMean } from '../../core/errors.js';
import { cfDecode, decodedPrecision, type DecodedArray } from './cf-decode.js';
import { decodeTimes, type CfDate } from './cf-time.js';
import { Hdf5Backend } from './hdf5.js';
import { Hdf5JsBackend } from './hdf5-js.js';
import { Netcdf3Backend } from './netcdf3.js';
import type { Attrs, Backend, DimInfo, DType, Hyperslab, NcFormat, RawArray, VarInfo } from './types.js';

const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Detect the container format from the first bytes; throws a clear error for anything else. */
export function sniffFormat(path: string): NcFormat {
  if (!existsSync(path)) throw new NunatakError('NOT_FOUND', `${path}: no such file`);
  if (statSync(path).isDirectory()) throw new NunatakError('IO', `${path}: is a directory, expected a NetCDF file`);
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(8);
  const n = readSync(fd, head, 0, 8, 0);
  closeSync(fd);
  if (n >= 4 && head.toString('latin1', 0, 3) === 'CDF') {
    if (head[3] === 1) return 'netcdf3-classic';
    if (head[3] === 2) return 'netcdf3-64bit-offset';
    if (head[3] === 5) {
      throw new NunatakError('IO', `${path}: NetCDF3 CDF-5 (64-bit data) is not supported`, {
        hint: 'convert it with `nccopy -k nc4 in.nc out.nc`',
      });
    }
  }
  // HDF5 superblocks may also sit at 512, 1024, ... (user block); netCDF-4 files use 0.
  if (n === 8 && head.equals(HDF5_MAGIC)) return 'hdf5';
  throw new NunatakError('IO', `${path}: not a NetCDF or HDF5 file (${n < 4 ? 'too short' : `starts with bytes ${head.subarray(0, n).toString('hex')}`})`, {
    hint: 'expected a NetCDF3 ("CDF\\x01"/"CDF\\x02") or NetCDF4/HDF5 ("\\x89HDF") file',
  });
}

/** How to open a file. */
export interface OpenOptions {
  /**
   * NetCDF4/HDF5 reader: 'auto' (default) tries the pure-JS reader and falls
   * back to h5wasm for what it does not decode; 'js' or 'h5wasm' force one.
   */
  hdf5?: 'auto' | 'js' | 'h5wasm';
}

export class Dataset {
  private constructor(
    /** Path of the file, as given. */
    readonly path: string,
    private backend: Backend,
    private hdf5Engine?: 'js' | 'h5wasm',
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Dataset> {
    const format = sniffFormat(path);
    if (format !== 'hdf5') return new Dataset(path, new Netcdf3Backend(path));
    const engine = options.hdf5 ?? 'auto';
    if (engine !== 'h5wasm') {
      try {
        return new Dataset(path, Hdf5JsBackend.open(path), 'js');
      } catch (e) {
        if (engine === 'js') throw new NunatakError('IO', `${path}: the pure-JS HDF5 reader cannot open the file (${(e as Error).message ?? e})`, { cause: e });
        // Features it does not decode, and damaged files (whose errors h5wasm words best), go to h5wasm.
      }
    }
    return new Dataset(path, await Hdf5Backend.open(path), 'h5wasm');
  }

  /** Which reader serves the file: NetCDF3's, the pure-JS HDF5 one, or h5wasm. */
  get engine(): 'netcdf3' | 'js' | 'h5wasm' {
    return this.hdf5Engine ?? 'netcdf3';
  }

  get format(): NcFormat {
    return this.backend.format;
  }
  get dims(): DimInfo[] {
    return this.backend.dims;
  }
  get vars(): VarInfo[] {
    return this.backend.vars;
  }
  /** Global attributes. */
  get attrs(): Attrs {
    return this.backend.attrs;
  }

  /** Element types of the global attributes, when known. */
  get attrTypes(): Record<string, DType> {
    return this.backend.attrTypes ?? {};
  }

  has(name: string): boolean {
    return this.backend.vars.some((v) => v.name === name);
  }

  /** Variable metadata; a missing name is an error suggesting close names. */
  variable(name: string): VarInfo {
    const v = this.backend.vars.find((x) => x.name === name);
    if (!v) {
      const names = this.backend.vars.map((x) => x.name);
      throw new NunatakError('NOT_FOUND', `${this.path}: no variable '${name}'${didYouMean(name, names)}`, {
        hint: `variables: ${names.join(', ')}`,
      });
    }
    return v;
  }

  dim(name: string): DimInfo {
    const d = this.backend.dims.find((x) => x.name === name);
    if (!d) throw new NunatakError('NOT_FOUND', `${this.path}: no dimension '${name}'${didYouMean(name, this.dims.map((x) => x.name))}`);
    return d;
  }

  /** Validate a hyperslab against the variable's shape and fill in defaults. */
  resolveSlab(v: VarInfo, slab: Hyperslab = {}): { start: number[]; count: number[] } {
    const nd = v.shape.length;
    const start = slab.start ?? new Array<number>(nd).fill(0);
    const count = slab.count ?? v.shape.map((n, d) => n - (start[d] ?? 0));
    const where = `${this.path}: variable '${v.name}' (${v.dims.join(', ')}) shape [${v.shape.join(', ')}]`;
    if (start.length !== nd || count.length !== nd) {
      throw new NunatakError('SHAPE', `${where}: hyperslab has start of length ${start.length} and count of length ${count.length}`, {
        hint: `give ${nd} values each, one per dimension`,
      });
    }
    for (let d = 0; d < nd; d++) {
      const s = start[d];
      const c = count[d];
      if (!Number.isInteger(s) || !Number.isInteger(c) || s < 0 || c < 0 || s + c > v.shape[d]) {
        throw new NunatakError('SHAPE', `${where}: hyperslab start ${s}, count ${c} is out of range on dimension '${v.dims[d]}' (length ${v.shape[d]})`, {
          hint: `need 0 ≤ start and start + count ≤ ${v.shape[d]}`,
        });
      }
    }
    return { start, count };
  }

  /** Values as stored (no scaling or masking), C order. */
  readRaw(name: string, slab?: Hyperslab): RawArray {
    const v = this.variable(name);
    const { start, count } = this.resolveSlab(v, slab);
    const raw = this.backend.readRaw(v, start, count);
    if (v.dtype === 'char' && raw.length === 1 && v.shape.length > 1) {
      // A char array (n, strlen) holds n strings.
      const s = raw[0] as string;
      const len = count[count.length - 1];
      return Array.from({ length: len ? s.length / len : 0 }, (_, k) => s.slice(k * len, (k + 1) * len).replace(/\0+$/, ''));
    }
    if (v.dtype === 'char') return (raw as string[]).map((s) => s.replace(/\0+$/, ''));
    return raw;
  }

  /**
   * CF-decoded values: `_FillValue`/`missing_value`/valid range → NaN, then
   * `scale_factor`·x + `add_offset`. Float64 for double or wide-integer data
   * (or float64 packing attributes), else float32; `precision` overrides.
   */
  read(name: string, slab?: Hyperslab, precision?: 'float32' | 'float64'): { data: DecodedArray; shape: number[] } {
    const v = this.variable(name);
    const { start, count } = this.resolveSlab(v, slab);
    const raw = this.backend.readRaw(v, start, count);
    return { data: cfDecode(v, raw, precision ?? decodedPrecision(v), `${this.path}`), shape: count };
  }

  /** Decode a CF time variable (its `units` and `calendar` attributes) to dates. */
  readTimes(name = 'time', slab?: Hyperslab): Array<CfDate | undefined> {
    const v = this.variable(name);
    const units = v.attrs.units;
    if (typeof units !== 'string') {
      throw new NunatakError('INPUT', `${this.path}: variable '${name}' has no text 'units' attribute`, {
        hint: "a CF time variable has units like 'days since 2000-01-01'",
      });
    }
    const cal = typeof v.attrs.calendar === 'string' ? v.attrs.calendar : undefined;
    return decodeTimes(this.read(name, slab, 'float64').data, units, cal, `${this.path}: variable '${name}'`);
  }

  close(): void {
    this.backend.close();
  }
}

/** Open a NetCDF3 / NetCDF4 / HDF5 file for reading. Close it when done. */
export function openDataset(path: string, options?: OpenOptions): Promise<Dataset> {
  return Dataset.open(path, options);
}
