/**
 * The CF description of a dataset nunatak writes — dimensions with their
 * coordinate values and attributes, the `crs` grid mapping, each variable's
 * dims, dtype, fill value and attributes (units, long_name, standard_name,
 * grid_mapping), the global attributes — built once from `WriterOptions`, so
 * the NetCDF4 writer and the zarr writer (src/io/zarr) carry the same metadata.
 */
import { NunatakError } from '../../core/errors.js';
import { gridX, gridY } from '../../core/field/grid.js';
import { TYPED_ARRAY_CTORS } from '../../core/dtype.js';
import { crsAttributes, isGeographicCrs, type CrsAttrs } from './crs-attrs.js';
import type { WriteAttr } from './h5-attrs.js';
import type { DimSpec, WriteDType, WriterOptions } from './writer.js';

/** dtypes the writers accept. */
export const WRITE_DTYPES: readonly WriteDType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

export interface LayoutDim {
  name: string;
  /** Size (0 for the unlimited `time` of a NetCDF file until records are appended). */
  size: number;
  /** Coordinate values; undefined: a dimension without a coordinate variable. */
  values?: Float64Array;
  attrs: Record<string, WriteAttr>;
  /** The CF time axis (`time`), unlimited in NetCDF. */
  time: boolean;
}

export interface LayoutVar {
  name: string;
  dims: string[];
  /** Shape with the time dimension at its layout size. */
  shape: number[];
  dtype: WriteDType;
  /** Fill value (`_FillValue`); null: none. */
  fill: number | bigint | null;
  /** Attributes except `_FillValue`. */
  attrs: Record<string, WriteAttr>;
  /** True when the first dimension is `time`. */
  record: boolean;
}

export interface DatasetLayout {
  dims: LayoutDim[];
  /** Attributes of the scalar `crs` grid-mapping variable; undefined: no CRS. */
  crs?: CrsAttrs;
  vars: LayoutVar[];
  /** Global attributes, in writing order. */
  globals: Record<string, WriteAttr>;
}

/**
 * The layout of a dataset for `path` (named in errors). `timeSize` is the size
 * of the time dimension (NetCDF: 0, it grows by appending).
 */
export function datasetLayout(path: string, o: WriterOptions, timeSize = 0): DatasetLayout {
  const dims: LayoutDim[] = [];
  const crsText = o.grid?.crs ?? o.crs;
  const geo = crsText ? isGeographicCrs(crsText) : false;
  if (o.time) {
    const attrs = { standard_name: 'time', long_name: o.time.longName ?? 'time', axis: 'T', units: o.time.units, calendar: o.time.calendar ?? 'standard' };
    dims.push({ name: 'time', size: timeSize, attrs, time: true });
  }
  if (o.grid) {
    const g = o.grid;
    const yAttrs = geo ? { standard_name: 'latitude', long_name: 'latitude', units: 'degrees_north', axis: 'Y' } : { standard_name: 'projection_y_coordinate', long_name: 'y coordinate of cell centre', units: 'm', axis: 'Y' };
    const xAttrs = geo ? { standard_name: 'longitude', long_name: 'longitude', units: 'degrees_east', axis: 'X' } : { standard_name: 'projection_x_coordinate', long_name: 'x coordinate of cell centre', units: 'm', axis: 'X' };
    dims.push({ name: 'y', size: g.ny, values: Float64Array.from(gridY(g)), attrs: yAttrs, time: false }, { name: 'x', size: g.nx, values: Float64Array.from(gridX(g)), attrs: xAttrs, time: false });
  }
  for (const d of o.dims ?? []) dims.push(fixedDim(path, d, dims));
  const sizes = new Map(dims.map((d) => [d.name, d.size]));
  const crs = crsText ? crsAttributes(crsText, `${path}: ${o.grid?.crs ? 'grid.crs' : 'crs'}`) : undefined;
  const vars: LayoutVar[] = [];
  for (const s of o.variables) {
    if (vars.some((v) => v.name === s.name) || sizes.has(s.name) || s.name === 'crs') {
      throw new NunatakError('CONFIG', `${path}: variable name '${s.name}' is used twice`);
    }
    const vdims = s.dims ?? (o.time ? ['time', 'y', 'x'] : ['y', 'x']);
    for (const d of vdims) {
      if (!sizes.has(d)) {
        throw new NunatakError('CONFIG', `${path}: variable '${s.name}' uses undefined dimension '${d}'`, {
          hint: `defined dimensions: ${[...sizes.keys()].join(', ') || 'none'} (give grid, time or dims)`,
        });
      }
    }
    if (vdims.indexOf('time') > 0) throw new NunatakError('CONFIG', `${path}: variable '${s.name}': 'time' must be its first dimension`);
    const dtype = s.dtype ?? 'float32';
    if (!(dtype in TYPED_ARRAY_CTORS) || !WRITE_DTYPES.includes(dtype)) {
      throw new NunatakError('DTYPE', `${path}: variable '${s.name}' has unsupported dtype '${dtype}'`, { hint: WRITE_DTYPES.join(', ') });
    }
    const fill = s.fillValue === undefined ? (dtype.startsWith('float') ? NaN : null) : s.fillValue;
    const attrs: Record<string, WriteAttr> = {};
    if (s.units !== undefined) attrs.units = s.units;
    if (s.longName) attrs.long_name = s.longName;
    if (s.standardName) attrs.standard_name = s.standardName;
    if (crs && vdims.includes('x') && vdims.includes('y')) attrs.grid_mapping = 'crs';
    vars.push({ name: s.name, dims: vdims, shape: vdims.map((d) => sizes.get(d)!), dtype, fill, attrs: { ...attrs, ...s.attrs }, record: vdims[0] === 'time' });
  }
  const globals: Record<string, WriteAttr> = { Conventions: 'CF-1.8', history: `${new Date().toISOString()} ${o.history ?? 'created by nunatak'}` };
  if (o.config !== undefined) globals.nunatak_config = o.config;
  return { dims, crs, vars, globals: { ...globals, ...o.attrs } };
}

function fixedDim(path: string, d: DimSpec, dims: LayoutDim[]): LayoutDim {
  if (dims.some((x) => x.name === d.name)) throw new NunatakError('CONFIG', `${path}: dimension '${d.name}' defined twice`);
  if (d.values && d.values.length !== d.size) throw new NunatakError('SHAPE', `${path}: dimension '${d.name}' has size ${d.size} but ${d.values.length} values`);
  return { name: d.name, size: d.size, values: d.values ? Float64Array.from(d.values) : undefined, attrs: { ...d.attrs }, time: false };
}
