/** Model grids: lat/lon (values, ranges or presets) or projected x/y. */
import { NunatakError } from '../core/errors.js';

/** A lat/lon grid; `lat` and `lon` in degrees, in the order the arrays are stored (row = lat). */
export interface LatLonGrid {
  kind: 'latlon';
  lat: Float64Array;
  lon: Float64Array;
}

/** A projected grid; `x`, `y` in the CRS's units (usually m). */
export interface XYGrid {
  kind: 'xy';
  x: Float64Array;
  y: Float64Array;
  crs: string;
}

export type ModelGrid = LatLonGrid | XYGrid;

/** [ny, nx] of a grid. */
export function gridShape(g: ModelGrid): [number, number] {
  return g.kind === 'latlon' ? [g.lat.length, g.lon.length] : [g.y.length, g.x.length];
}

/** Equiangular global grid as earth2mip builds it: lat 90 → −90, lon 0 → 360 (endpoint excluded). */
export function equiangular(nlat: number, nlon: number, includesSouthPole = true): LatLonGrid {
  const lat = new Float64Array(nlat);
  const step = 180 / (includesSouthPole ? nlat - 1 : nlat);
  for (let i = 0; i < nlat; i++) lat[i] = 90 - i * step;
  const lon = new Float64Array(nlon);
  for (let j = 0; j < nlon; j++) lon[j] = (360 * j) / nlon;
  return { kind: 'latlon', lat, lon };
}

/** Named global grids (earth2mip's `Grid` enum). */
export const GRID_PRESETS: Record<string, () => LatLonGrid> = {
  '721x1440': () => equiangular(721, 1440),
  '720x1440': () => equiangular(720, 1440, false),
  s2s: () => equiangular(181, 360),
  '181x360': () => equiangular(181, 360),
};

/** Evenly spaced axis: start, start+step, … (n values). */
export function axisRange(start: number, step: number, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = start + i * step;
  return a;
}

/**
 * Throws SHAPE when two grids differ (size, or any coordinate by more than `tol`
 * degrees / CRS units). `what` names the data for the message.
 */
export function assertSameGrid(model: ModelGrid, data: ModelGrid, what: string, tol = 1e-4): void {
  const [my, mx] = gridShape(model);
  const [dy, dx] = gridShape(data);
  if (model.kind !== data.kind) {
    throw new NunatakError('SHAPE', `${what}: grid is ${data.kind}, the model's grid is ${model.kind}`);
  }
  if (my !== dy || mx !== dx) {
    throw new NunatakError('SHAPE', `${what}: grid is ${dy}×${dx} (y×x), the model needs ${my}×${mx}`, { hint: 'regrid or subset the data to the model grid' });
  }
  const pairs: Array<[string, Float64Array, Float64Array]> =
    model.kind === 'latlon' ? [['lat', model.lat, (data as LatLonGrid).lat], ['lon', model.lon, (data as LatLonGrid).lon]] : [['y', model.y, (data as XYGrid).y], ['x', model.x, (data as XYGrid).x]];
  for (const [name, a, b] of pairs) {
    for (let i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > tol) {
        throw new NunatakError('SHAPE', `${what}: ${name}[${i}] = ${b[i]}, the model grid has ${a[i]}`, { hint: 'the data must be on the model grid, in the same order' });
      }
    }
  }
}
