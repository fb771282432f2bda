/**
 * Shared types of the NetCDF / HDF5 reader: what a dimension, a variable and an
 * attribute look like whichever file format (NetCDF3 classic / 64-bit offset,
 * NetCDF4 / HDF5) they came from.
 */

/** Element type of a variable, in NumPy-like spelling. */
export type DType =
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'char'
  | 'string';

/** An attribute value: text, one number, or a vector of numbers. */
export type AttrValue = string | number | bigint | number[] | bigint[] | string[];

export type Attrs = Record<string, AttrValue>;

export interface DimInfo {
  name: string;
  /** Current length (for the unlimited dimension: number of records so far). */
  size: number;
  unlimited: boolean;
}

export interface VarInfo {
  name: string;
  dtype: DType;
  /** Dimension names, slowest-varying first (C order). */
  dims: string[];
  shape: number[];
  attrs: Attrs;
  /** Element type of each attribute, when the format records it. */
  attrTypes?: Record<string, DType>;
  /** Storage detail for `inspect`: chunk shape and filters, when known. */
  chunks?: number[];
  filters?: string[];
}

/** Start and count per dimension; omitted means the whole extent. */
export interface Hyperslab {
  start?: number[];
  count?: number[];
}

/** Raw values as stored (no scaling, no masking), C order. */
export type RawArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | string[];

/** File format as detected from the magic bytes. */
export type NcFormat = 'netcdf3-classic' | 'netcdf3-64bit-offset' | 'hdf5';

/** What a format backend provides; `Dataset` adds names checks and CF decoding on top. */
export interface Backend {
  readonly format: NcFormat;
  readonly dims: DimInfo[];
  readonly vars: VarInfo[];
  readonly attrs: Attrs;
  /** Element types of the global attributes. */
  readonly attrTypes?: Record<string, DType>;
  /** Read raw values of a hyperslab that has already been validated. */
  readRaw(v: VarInfo, start: number[], count: number[]): RawArray;
  close(): void;
}
