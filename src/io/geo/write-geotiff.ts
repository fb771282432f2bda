/**
 * GeoTIFF writing (float32, one band) via the `geotiff` package: north-up grid
 * → ModelTiepoint + ModelPixelScale (PixelIsArea), CRS as an EPSG GeoKey, NaN
 * → GDAL nodata. Opens in GDAL / QGIS with the same geotransform.
 */
import { writeFileSync } from 'node:fs';
import { writeArrayBuffer } from 'geotiff';
import { NunatakError } from '../../core/errors.js';
import type { Field } from '../../core/field/field.js';
import { resolveCrs } from './crs.js';
import { geoTransformOfGrid } from './geotransform.js';

export interface WriteGeoTiffOptions {
  /** Value written for NaN cells and declared as GDAL nodata (default -9999). */
  nodata?: number;
}

/**
 * Write a 2-D field to `path` as a float32 GeoTIFF. The grid's CRS must be
 * "EPSG:nnnn" (GeoKeys cannot carry arbitrary WKT here); dx > 0. A south-up
 * grid (dy > 0: row 0 is the southernmost, as the sim's grids are) is written
 * with its rows reversed, so the file is north-up as GeoTIFF readers expect.
 */
export function writeGeoTiff(path: string, field: Field, opts: WriteGeoTiffOptions = {}): void {
  const g = field.grid;
  if (field.nz) throw new NunatakError('SHAPE', `field '${field.name}' is 3-D; write one level at a time`);
  const m = /^EPSG:(\d+)$/i.exec(g.crs ?? '');
  if (!m) {
    throw new NunatakError('INPUT', `cannot write ${path}: field '${field.name}' CRS '${(g.crs ?? 'none').slice(0, 60)}' is not an EPSG code`, {
      hint: 'reproject to an "EPSG:nnnn" grid first (e.g. reprojectToGrid(field, "EPSG:32632", 100))',
    });
  }
  if (!(g.dx > 0)) {
    throw new NunatakError('INPUT', `cannot write ${path}: grid must have x increasing eastwards (dx > 0), got dx=${g.dx}`, { hint: 'flip the columns first' });
  }
  const southUp = g.dy > 0;
  // North-up equivalent of the grid: first row = the northernmost cell centre.
  const north = southUp ? { ...g, y0: g.y0 + (g.ny - 1) * g.dy, dy: -g.dy } : g;
  const crs = resolveCrs(g.crs, path);
  const nodata = opts.nodata ?? -9999;
  const values = new Float32Array(field.data.length);
  for (let j = 0; j < g.ny; j++) {
    const src = (southUp ? g.ny - 1 - j : j) * g.nx;
    for (let i = 0; i < g.nx; i++) {
      const v = field.data[src + i];
      values[j * g.nx + i] = Number.isNaN(v) ? nodata : v;
    }
  }
  const gt = geoTransformOfGrid(north);
  const code = Number(m[1]);
  const buf = writeArrayBuffer(values, {
    width: g.nx,
    height: g.ny,
    BitsPerSample: [32],
    SampleFormat: [3],
    ModelPixelScale: [north.dx, -north.dy, 0],
    ModelTiepoint: [0, 0, 0, gt[0], gt[3], 0],
    GTModelTypeGeoKey: crs.geographic ? 2 : 1,
    GTRasterTypeGeoKey: 1,
    ...(crs.geographic ? { GeographicTypeGeoKey: code } : { ProjectedCSTypeGeoKey: code }),
    GDAL_NODATA: String(nodata),
  });
  writeFileSync(path, Buffer.from(buf));
}
