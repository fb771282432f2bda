/** Where a glacier is, for picking its climate cell. */
import { resolveCrs, transformer } from '../../io/index.js';
import type { Grid } from '../../core/field/grid.js';

/**
 * (lon, lat) in degrees of the centroid of the cells where `mask` > 0.5 (all
 * cells when there is no mask or it is empty), from the grid's CRS.
 */
export function maskCentroidLonLat(g: Grid, mask?: ArrayLike<number>, context = 'glacier location'): [number, number] {
  const centroid = (useMask: boolean): [number, number, number] => {
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let j = 0; j < g.ny; j++) for (let i = 0; i < g.nx; i++) {
      if (useMask && mask && !(mask[j * g.nx + i] > 0.5)) continue;
      sx += g.x0 + i * g.dx;
      sy += g.y0 + j * g.dy;
      n++;
    }
    return [sx / n, sy / n, n];
  };
  const inMask = centroid(true);
  const [x, y] = inMask[2] > 0 ? inMask : centroid(false);
  return transformer(resolveCrs(g.crs, context), resolveCrs('EPSG:4326', context))(x, y);
}
