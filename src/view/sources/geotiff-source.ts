/**
 * GeoTIFF rasters: band 1 as variable `band1` (y, x) with x/y cell-centre
 * coordinates and the file's CRS. nunatak's GeoTIFF reader decodes the
 * band whole, so the file is read once when opened and slices come from memory.
 */
import { readGeoTiff } from '../../io/index.js';
import { crsMeta } from './crs-meta.js';
import type { ViewSource } from './source.js';

export async function openGeotiffSource(path: string): Promise<ViewSource> {
  const r = await readGeoTiff(path);
  const g = r.field.grid;
  const data = r.field.data;
  const axis = (n: number, o: number, d: number) => Array.from({ length: n }, (_, k) => o + k * d);
  const attrs: Record<string, string | number> = { georeferencing: r.georef };
  if (r.nodata !== undefined) attrs.nodata = r.nodata;
  return {
    kind: 'geotiff',
    format: 'GeoTIFF',
    attrs,
    dims: [{ name: 'y', size: g.ny }, { name: 'x', size: g.nx }],
    vars: [{ name: 'band1', dtype: 'float32', dims: ['y', 'x'], shape: [g.ny, g.nx], attrs, map: { y: 0, x: 1 }, crs: crsMeta(r.crs, path) }],
    coords: () => ({ y: { values: axis(g.ny, g.y0, g.dy) }, x: { values: axis(g.nx, g.x0, g.dx) } }),
    read(_name, start, count) {
      const out = new Float32Array(count[0] * count[1]);
      for (let j = 0; j < count[0]; j++) out.set(data.subarray((start[0] + j) * g.nx + start[1], (start[0] + j) * g.nx + start[1] + count[1]), j * count[1]);
      return out;
    },
    close: () => undefined,
  };
}
