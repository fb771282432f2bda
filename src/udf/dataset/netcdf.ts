/**
 * A variable of a NetCDF3 (classic / 64-bit offset) or NetCDF4/HDF5 file as a
 * dataset (e.g. time × lat × lon → nav = time, sig = lat × lon), read through
 * `src/io/netcdf`. Frames are read per block as hyperslabs over the leading
 * axis, so the file is never loaded whole. Values are CF-decoded
 * (`_FillValue` / `missing_value` / valid range → NaN, scale_factor and
 * add_offset applied), so the dataset dtype is float32 or float64.
 */
import { resolve } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import { crsOf, decodedPrecision, openDataset as openNc, type Dataset as NcDataset, type VarInfo } from '../../io/netcdf/index.js';
import type { TypedArray } from '../dtype.js';
import { prod } from '../shape.js';
import { Dataset, type DatasetDesc } from './dataset.js';

export interface NetcdfDatasetOptions {
  path: string;
  /** Variable name, e.g. 'air_temperature'. */
  variable: string;
  /** Trailing axes forming the signal (default 2). */
  sigDims?: number;
  syncOffset?: number;
}

/** A named axis of the dataset with its coordinate values and CF attributes, when the file has them. */
export interface DatasetAxis {
  name: string;
  size: number;
  values?: Float64Array;
  attrs: Record<string, string | number>;
}

export class NetcdfDataset extends Dataset {
  private constructor(
    readonly path: string,
    readonly variable: string,
    private readonly nc: NcDataset,
    private readonly v: VarInfo,
    sigDims: number,
    syncOffset: number,
  ) {
    const nav = v.shape.slice(0, -sigDims);
    super(nav, v.shape.slice(-sigDims), decodedPrecision(v), syncOffset, prod(nav), `'${path}' variable '${variable}'`);
  }

  static async open(o: NetcdfDatasetOptions): Promise<NetcdfDataset> {
    const path = resolve(o.path);
    const nc = await openNc(path);
    try {
      const v = nc.variable(o.variable);
      const sigDims = o.sigDims ?? 2;
      if (!Number.isInteger(sigDims) || sigDims < 1 || sigDims >= v.shape.length) {
        throw new NunatakError('SHAPE', `${path}: variable '${o.variable}' has shape (${v.shape.join(', ')}); sigDims ${sigDims} leaves no nav axis`, {
          hint: 'need at least one nav axis and one signal axis',
        });
      }
      if (v.dtype === 'char' || v.dtype === 'string') {
        throw new NunatakError('DTYPE', `${path}: variable '${o.variable}' holds text (${v.dtype}), not numbers`);
      }
      return new NetcdfDataset(path, o.variable, nc, v, sigDims, o.syncOffset ?? 0);
    } catch (e) {
      nc.close();
      throw e;
    }
  }

  /** Units of the variable (CF `units`), if any. */
  get units(): string | undefined {
    return typeof this.v.attrs.units === 'string' ? this.v.attrs.units : undefined;
  }

  /** CRS of the variable's grid mapping (EPSG code, WKT or proj4), if it has one. */
  get crs(): string | undefined {
    const gm = this.v.attrs.grid_mapping;
    return typeof gm === 'string' && this.nc.has(gm) ? crsOf(this.nc, gm) : undefined;
  }

  /** The variable's dimensions with coordinate values and their CF attributes (nav axes first). */
  axes(): DatasetAxis[] {
    return this.v.dims.map((name, d) => {
      const attrs: Record<string, string | number> = {};
      let values: Float64Array | undefined;
      if (this.nc.has(name) && this.nc.variable(name).shape.length === 1) {
        const cv = this.nc.variable(name);
        for (const k of ['units', 'calendar', 'standard_name', 'long_name', 'axis']) {
          const a = cv.attrs[k];
          if (typeof a === 'string' || typeof a === 'number') attrs[k] = a;
        }
        values = Float64Array.from(this.nc.read(name, undefined, 'float64').data);
      }
      return { name, size: this.v.shape[d], values, attrs };
    });
  }

  describe(): DatasetDesc {
    return { kind: 'netcdf', path: this.path, variable: this.variable, navShape: this.navShape, sigShape: this.sigShape, syncOffset: this.syncOffset, sigDims: this.sigShape.length };
  }

  protected readStored(start: number, count: number, out: TypedArray, outOffset: number): void {
    // One hyperslab over whole rows of the first axis covering the frames.
    const inner = prod(this.navShape.slice(1));
    const a0 = Math.floor(start / inner);
    const a1 = Math.ceil((start + count) / inner);
    const shape = this.v.shape;
    const slab = { start: shape.map((_, d) => (d === 0 ? a0 : 0)), count: shape.map((n, d) => (d === 0 ? a1 - a0 : n)) };
    const block = this.nc.read(this.variable, slab, this.dtype as 'float32' | 'float64').data;
    const from = (start - a0 * inner) * this.sigSize;
    (out as Float32Array).set(block.subarray(from, from + count * this.sigSize), outOffset);
  }

  override close(): void {
    this.nc.close();
  }
}
