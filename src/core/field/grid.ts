/**
 * A regular 2-D grid: cell centres at x[i] = x0 + i·dx, y[j] = y0 + j·dy.
 * Row j, column i of a field is element j·nx + i (y rows, x fastest, C order,
 * like NetCDF `(y, x)` variables). dy may be negative for north-up rasters.
 */
import { NunatakError } from '../errors.js';

export interface Grid {
  /** Number of columns (x). */
  nx: number;
  /** Number of rows (y). */
  ny: number;
  /** x of the first column's centre, in CRS units (m for projected grids). */
  x0: number;
  /** y of the first row's centre. */
  y0: number;
  /** Cell size along x (m for projected grids, degrees for lon/lat). */
  dx: number;
  /** Cell size along y (negative when rows go north to south). */
  dy: number;
  /** CRS as "EPSG:32632", a proj4 string or WKT; undefined when unknown. */
  crs?: string;
}

export function makeGrid(g: Grid): Grid {
  if (!Number.isInteger(g.nx) || !Number.isInteger(g.ny) || g.nx < 1 || g.ny < 1) {
    throw new NunatakError('SHAPE', `grid size ${g.ny}×${g.nx} is not a positive integer size`);
  }
  if (!(g.dx !== 0 && Number.isFinite(g.dx) && g.dy !== 0 && Number.isFinite(g.dy))) {
    throw new NunatakError('SHAPE', `grid spacing dx=${g.dx}, dy=${g.dy} must be finite and non-zero`);
  }
  return { ...g };
}

/** Cell-centre x coordinates. */
export function gridX(g: Grid): Float64Array {
  const x = new Float64Array(g.nx);
  for (let i = 0; i < g.nx; i++) x[i] = g.x0 + i * g.dx;
  return x;
}

/** Cell-centre y coordinates. */
export function gridY(g: Grid): Float64Array {
  const y = new Float64Array(g.ny);
  for (let j = 0; j < g.ny; j++) y[j] = g.y0 + j * g.dy;
  return y;
}

/** Build a grid from coordinate vectors (must be evenly spaced within 1e-6 relative). */
export function gridFromCoords(x: ArrayLike<number>, y: ArrayLike<number>, crs?: string): Grid {
  const spacing = (v: ArrayLike<number>, name: string) => {
    if (v.length < 2) return 1;
    const d = (v[v.length - 1] - v[0]) / (v.length - 1);
    for (let k = 1; k < v.length; k++) {
      if (Math.abs(v[k] - v[k - 1] - d) > 1e-6 * Math.abs(d) + 1e-9) {
        throw new NunatakError('SHAPE', `coordinate ${name} is not evenly spaced at index ${k}`, {
          hint: 'nunatak fields live on regular grids; regrid the data first',
        });
      }
    }
    return d;
  };
  return makeGrid({ nx: x.length, ny: y.length, x0: x[0], y0: y[0], dx: spacing(x, 'x'), dy: spacing(y, 'y'), crs });
}

/** Cell area in CRS units squared (m² on projected grids). */
export function cellArea(g: Grid): number {
  return Math.abs(g.dx * g.dy);
}
