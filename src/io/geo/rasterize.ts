/**
 * Polygon → 0/1 mask on a grid: a cell is 1 when its CENTRE is inside the
 * outline. Even-odd scanlines per polygon (so holes are excluded), OR-ed over
 * all polygons of all features (multipolygons, several glaciers).
 */
import { NunatakError } from '../../core/errors.js';
import { Field } from '../../core/field/field.js';
import type { Grid } from '../../core/field/grid.js';
import { resolveCrs } from './crs.js';
import { reprojectOutline, type Outline, type Polygon } from './outline.js';

/** x positions where a horizontal line at y crosses the polygon's edges (sorted). */
function crossings(poly: Polygon, y: number): number[] {
  const xs: number[] = [];
  for (const ring of poly) {
    const n = ring.length;
    for (let k = 0; k < n; k++) {
      const [x1, y1] = ring[k];
      const [x2, y2] = ring[(k + 1) % n];
      // Half-open rule: count an edge when y is in [min, max) so vertices are not double counted.
      if (y1 <= y !== y2 <= y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  return xs.sort((a, b) => a - b);
}

/**
 * Rasterise an outline to a mask Field (units "1", values 0/1) on `grid`. The
 * outline is reprojected to the grid's CRS first when both have a CRS and they
 * differ; a CRS on only one side → NunatakError('INPUT').
 */
export function rasterizeOutline(outline: Outline, grid: Grid, name = 'mask'): Field {
  let o = outline;
  if (grid.crs !== undefined && outline.crs !== undefined) {
    if (resolveCrs(grid.crs, 'grid').label !== resolveCrs(outline.crs, outline.source).label) o = reprojectOutline(outline, grid.crs);
  } else if (grid.crs !== outline.crs) {
    throw new NunatakError('INPUT', `${outline.source}: ${grid.crs === undefined ? 'grid' : 'outline'} has no CRS, cannot match outline and grid`, {
      hint: 'give both a CRS, or neither when they are already in the same coordinates',
    });
  }
  const { nx, ny } = grid;
  const data = new Float32Array(nx * ny);
  for (const f of o.features) {
    for (const poly of f.polygons) {
      for (let j = 0; j < ny; j++) {
        const y = grid.y0 + j * grid.dy;
        const xs = crossings(poly, y);
        for (let k = 0; k + 1 < xs.length; k += 2) {
          // Cells whose centre x = x0 + i·dx lies in [xs[k], xs[k+1]).
          let ia = Math.ceil((xs[k] - grid.x0) / grid.dx);
          let ib = Math.ceil((xs[k + 1] - grid.x0) / grid.dx) - 1;
          if (grid.dx < 0) [ia, ib] = [ib + 1, ia - 1];
          for (let i = Math.max(ia, 0); i <= Math.min(ib, nx - 1); i++) data[j * nx + i] = 1;
        }
      }
    }
  }
  return new Field({ name, grid, units: '1', data, longName: `mask of ${outline.source.replace(/^.*[\\/]/, '')}` });
}
