/**
 * GDAL-style affine geotransform [x0, dx, rx, y0, ry, dy]: the corner of the
 * upper-left pixel is (x0, y0); x = x0 + col·dx + row·rx, y = y0 + col·ry + row·dy.
 */
import { NunatakError } from '../../core/errors.js';
import { makeGrid, type Grid } from '../../core/field/grid.js';

export type GeoTransform = [number, number, number, number, number, number];

/** The nunatak Grid (cell centres) for a north-up geotransform; rotated rasters are refused. */
export function gridFromGeoTransform(gt: GeoTransform, nx: number, ny: number, crs: string | undefined, context: string): Grid {
  if (gt[2] !== 0 || gt[4] !== 0) {
    throw new NunatakError('INPUT', `${context}: rotated / sheared raster (geotransform rotation terms ${gt[2]}, ${gt[4]})`, {
      hint: 'warp it to a north-up raster first (gdalwarp); nunatak grids are axis-aligned',
    });
  }
  return makeGrid({ nx, ny, x0: gt[0] + 0.5 * gt[1], y0: gt[3] + 0.5 * gt[5], dx: gt[1], dy: gt[5], crs });
}

/** The geotransform (pixel-corner origin) of a nunatak Grid. */
export function geoTransformOfGrid(g: Grid): GeoTransform {
  return [g.x0 - 0.5 * g.dx, g.dx, 0, g.y0 - 0.5 * g.dy, 0, g.dy];
}
