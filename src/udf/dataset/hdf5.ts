/**
 * A variable of a NetCDF4 / HDF5 file as a dataset (e.g. time × lat × lon →
 * nav = time, sig = lat × lon). Frames are read per block as HDF5 hyperslabs
 * along the first axis, so the file is never loaded whole. _FillValue /
 * missing_value of float variables become NaN.
 *
 * Uses h5wasm directly; it will move onto src/io/netcdf once that lands.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError, didYouMean } from '../../core/errors.js';
import type { DType, TypedArray } from '../dtype.js';
import { prod } from '../shape.js';
import { Dataset, type DatasetDesc } from './dataset.js';

export interface Hdf5DatasetOptions {
  path: string;
  /** Variable (HDF5 dataset) path, e.g. 'air_temperature'. */
  variable: string;
  /** Trailing axes forming the signal (default 2). */
  sigDims?: number;
  syncOffset?: number;
}

type H5Var = {
  shape: number[];
  metadata: { type: number; size: number; signed: boolean };
  attrs: Record<string, { value: unknown }>;
  slice(ranges: Array<[number, number] | []>): unknown;
};
type H5File = { get(p: string): unknown; keys(): string[]; close(): void };

function dtypeOf(path: string, variable: string, m: H5Var['metadata']): DType {
  if (m.type === 1 && m.size === 4) return 'float32';
  if (m.type === 1 && m.size === 8) return 'float64';
  if (m.type === 0) {
    const t = `${m.signed ? 'int' : 'uint'}${m.size * 8}` as DType;
    if (['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'].includes(t)) return t;
  }
  throw new NunatakError('DTYPE', `'${path}': variable '${variable}' has an unsupported HDF5 type (class ${m.type}, ${m.size} bytes)`);
}

export class Hdf5Dataset extends Dataset {
  private readonly fill: number[];

  private constructor(
    readonly path: string,
    readonly variable: string,
    private readonly file: H5File,
    private readonly v: H5Var,
    navShape: number[],
    sigShape: number[],
    dtype: DType,
    syncOffset: number,
  ) {
    super(navShape, sigShape, dtype, syncOffset, prod(navShape), `'${path}' variable '${variable}'`);
    this.fill = ['_FillValue', 'missing_value']
      .map((k) => v.attrs[k]?.value)
      .flatMap((x) => (ArrayBuffer.isView(x) ? Array.from(x as Float32Array) : typeof x === 'number' ? [x] : []));
  }

  static async open(o: Hdf5DatasetOptions): Promise<Hdf5Dataset> {
    const path = resolve(o.path);
    const h5wasm = (await import('h5wasm/node')).default as unknown as { ready: Promise<unknown>; File: new (p: string, m: string) => H5File };
    await h5wasm.ready;
    if (!existsSync(path)) throw new NunatakError('NOT_FOUND', `cannot open HDF5/NetCDF4 file '${path}': no such file`);
    let file: H5File;
    try {
      file = new h5wasm.File(path, 'r');
    } catch (e) {
      throw new NunatakError('NOT_FOUND', `cannot open HDF5/NetCDF4 file '${path}': ${(e as Error).message}`, {
        hint: 'NetCDF3 classic files are not HDF5; convert with `nccopy -k nc4 in.nc out.nc`',
        cause: e,
      });
    }
    const v = file.get(o.variable) as H5Var | null;
    if (!v || !Array.isArray(v.shape)) {
      const names = file.keys();
      file.close();
      throw new NunatakError('NOT_FOUND', `'${path}' has no variable '${o.variable}'${didYouMean(o.variable, names)}`, { hint: `variables: ${names.join(', ')}` });
    }
    const sigDims = o.sigDims ?? 2;
    if (!Number.isInteger(sigDims) || sigDims < 1 || sigDims >= v.shape.length) {
      file.close();
      throw new NunatakError('SHAPE', `'${path}' variable '${o.variable}' has shape (${v.shape.join(', ')}); sigDims ${sigDims} leaves no nav axis`);
    }
    const dtype = dtypeOf(path, o.variable, v.metadata);
    return new Hdf5Dataset(path, o.variable, file, v, v.shape.slice(0, -sigDims), v.shape.slice(-sigDims), dtype, o.syncOffset ?? 0);
  }

  describe(): DatasetDesc {
    return { kind: 'hdf5', path: this.path, variable: this.variable, navShape: this.navShape, sigShape: this.sigShape, syncOffset: this.syncOffset, sigDims: this.sigShape.length };
  }

  protected readStored(start: number, count: number, out: TypedArray, outOffset: number): void {
    // Hyperslab over whole rows of the first axis covering the frames.
    const inner = prod(this.navShape.slice(1));
    const a0 = Math.floor(start / inner);
    const a1 = Math.ceil((start + count) / inner);
    const ranges: Array<[number, number] | []> = [[a0, a1], ...this.v.shape.slice(1).map((): [] => [])];
    const block = this.v.slice(ranges) as TypedArray;
    const sig = this.sigSize;
    const from = (start - a0 * inner) * sig;
    const part = block.subarray(from, from + count * sig);
    (out as Float32Array).set(part as Float32Array, outOffset);
    if (this.fill.length > 0 && (this.dtype === 'float32' || this.dtype === 'float64')) {
      for (let i = outOffset; i < outOffset + count * sig; i++) if (this.fill.includes(out[i])) out[i] = NaN;
    }
  }

  override close(): void {
    this.file.close();
  }
}
