/**
 * Find the horizontal coordinates of a field: among the variable's
 * dimensions, the coordinate variables (same name as the dimension) whose
 * `axis`, `standard_name`, `units` or name mark them as X / Y (projected
 * x/y or lon/lat). Also gives a regular `Grid` when the spacing is even.
 */
import { NunatakError } from '../../core/errors.js';
import { gridFromCoords, type Grid } from '../../core/field/grid.js';
import type { Dataset } from './dataset.js';
import type { Attrs, VarInfo } from './types.js';

export interface HorizontalCoords {
  /** Dimension / coordinate variable names. */
  xName: string;
  yName: string;
  /** Position of the x and y dimension in the variable's dims. */
  xAxis: number;
  yAxis: number;
  x: Float64Array;
  y: Float64Array;
  /** 'projected' (x/y in metres or km) or 'geographic' (degrees). */
  kind: 'projected' | 'geographic';
  /** Name of the grid_mapping variable, if the field has one. */
  gridMapping?: string;
}

const X_STD = new Set(['projection_x_coordinate', 'longitude', 'grid_longitude']);
const Y_STD = new Set(['projection_y_coordinate', 'latitude', 'grid_latitude']);
const X_NAMES = new Set(['x', 'lon', 'longitude', 'rlon', 'west_east', 'easting', 'xc', 'nx']);
const Y_NAMES = new Set(['y', 'lat', 'latitude', 'rlat', 'south_north', 'northing', 'yc', 'ny']);

/** 'x', 'y' or undefined for a coordinate variable, by CF axis, standard_name, units, then name. */
export function axisOf(v: VarInfo): 'x' | 'y' | undefined {
  const a = v.attrs;
  const axis = typeof a.axis === 'string' ? a.axis.toUpperCase() : '';
  if (axis === 'X') return 'x';
  if (axis === 'Y') return 'y';
  const sn = typeof a.standard_name === 'string' ? a.standard_name : '';
  if (X_STD.has(sn)) return 'x';
  if (Y_STD.has(sn)) return 'y';
  const u = typeof a.units === 'string' ? a.units.toLowerCase() : '';
  if (/^degrees?_?e(ast)?$/.test(u)) return 'x';
  if (/^degrees?_?n(orth)?$/.test(u)) return 'y';
  const n = v.name.toLowerCase();
  if (X_NAMES.has(n)) return 'x';
  if (Y_NAMES.has(n)) return 'y';
  return undefined;
}

const isGeographic = (v: VarInfo) => {
  const sn = String(v.attrs.standard_name ?? '');
  const u = String(v.attrs.units ?? '').toLowerCase();
  return sn === 'longitude' || sn === 'latitude' || u.startsWith('degree') || ['lon', 'lat', 'longitude', 'latitude'].includes(v.name.toLowerCase());
};

/** The x/y coordinates of variable `name`; throws when it has no horizontal coordinates. */
export function findXY(ds: Dataset, name: string): HorizontalCoords {
  const v = ds.variable(name);
  let xAxis = -1;
  let yAxis = -1;
  v.dims.forEach((d, k) => {
    if (!ds.has(d)) return;
    const c = ds.variable(d);
    if (c.shape.length !== 1) return;
    const ax = axisOf(c);
    if (ax === 'x' && xAxis < 0) xAxis = k;
    if (ax === 'y' && yAxis < 0) yAxis = k;
  });
  // No marked coordinate variables: fall back to the last two dims (CF order ... y, x).
  if ((xAxis < 0 || yAxis < 0) && v.dims.length >= 2) {
    const nd = v.dims.length;
    if (ds.has(v.dims[nd - 1]) && ds.has(v.dims[nd - 2]) && xAxis < 0 && yAxis < 0) {
      xAxis = nd - 1;
      yAxis = nd - 2;
    }
  }
  if (xAxis < 0 || yAxis < 0) {
    throw new NunatakError('NOT_FOUND', `${ds.path}: cannot find x/y coordinates of variable '${name}' (dims ${v.dims.join(', ')})`, {
      hint: "expected 1-D coordinate variables named after the dims with axis='X'/'Y', a projection_x/y_coordinate or longitude/latitude standard_name",
    });
  }
  const xName = v.dims[xAxis];
  const yName = v.dims[yAxis];
  const gm = v.attrs.grid_mapping;
  return {
    xName,
    yName,
    xAxis,
    yAxis,
    x: Float64Array.from(ds.read(xName, undefined, 'float64').data),
    y: Float64Array.from(ds.read(yName, undefined, 'float64').data),
    kind: isGeographic(ds.variable(xName)) ? 'geographic' : 'projected',
    gridMapping: typeof gm === 'string' && ds.has(gm) ? gm : undefined,
  };
}

/** CRS of a grid_mapping variable: its EPSG code, crs_wkt or spatial_ref, when present. */
export function crsOf(ds: Dataset, gridMapping: string | undefined): string | undefined {
  return gridMapping ? crsFromAttrs(ds.variable(gridMapping).attrs) : undefined;
}

/** The CRS label of grid-mapping attributes (EPSG code, WKT or PROJ string), whatever container holds them (NetCDF, zarr). */
export function crsFromAttrs(a: Attrs): string | undefined {
  for (const key of ['epsg_code', 'EPSG']) {
    const e = a[key];
    if (typeof e === 'string' && /^(epsg:)?\d+$/i.test(e)) return e.toUpperCase().startsWith('EPSG:') ? e.toUpperCase() : `EPSG:${e}`;
    if (typeof e === 'number') return `EPSG:${e}`;
  }
  for (const key of ['crs_wkt', 'spatial_ref', 'proj4', 'proj4text']) if (typeof a[key] === 'string') return a[key] as string;
  if (a.grid_mapping_name === 'latitude_longitude') return 'EPSG:4326';
  return undefined;
}

/** A regular Grid for variable `name` (coordinates must be evenly spaced). */
export function gridOf(ds: Dataset, name: string): Grid {
  const c = findXY(ds, name);
  if (c.xAxis < c.yAxis) {
    throw new NunatakError('SHAPE', `${ds.path}: variable '${name}' is stored (…, ${c.xName}, ${c.yName}); nunatak grids are (y, x)`, {
      hint: 'transpose the variable (e.g. ncpdq) so x varies fastest',
    });
  }
  return gridFromCoords(c.x, c.y, crsOf(ds, c.gridMapping));
}
