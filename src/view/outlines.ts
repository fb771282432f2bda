/**
 * Outline overlays: polygon shapefiles among the served paths, reprojected
 * to the CRS of the map a page shows (its variable's grid mapping) so the
 * page can draw them over the map in the map's own coordinates.
 *   /api/outlines                            served .shp files (OutlineEntry[])
 *   /api/outline/<shp id>?for=<file id>&var=<v>   OutlineData
 */
import { NunatakError } from '../core/errors.js';
import { readOutline, reprojectOutline } from '../io/index.js';
import { walkServed } from './file-list.js';
import { resolveId, type Root } from './path-guard.js';
import type { OutlineData, OutlineEntry } from './protocol.js';
import type { SourceCache } from './sources/open.js';

/** Served polygon shapefiles (by extension; the file is read only when asked for). */
export function listOutlines(roots: Root[]): OutlineEntry[] {
  return walkServed(roots, (p) => (/\.shp$/i.test(p) ? ('shapefile' as const) : undefined)).map(({ id, label }) => ({ id, label }));
}

/** Outline `shpId` in the CRS of variable `varName` of file `fileId`. */
export async function outlineFor(roots: Root[], cache: SourceCache, shpId: string, fileId: string, varName: string): Promise<OutlineData> {
  const shp = resolveId(roots, shpId);
  if (!/\.shp$/i.test(shp)) throw new NunatakError('INPUT', `${shpId} is not a shapefile (.shp)`);
  const src = await cache.get(resolveId(roots, fileId));
  const v = src.vars.find((x) => x.name === varName);
  if (!v) throw new NunatakError('NOT_FOUND', `${fileId}: no variable '${varName}'`, { hint: `variables: ${src.vars.map((x) => x.name).join(', ')}` });
  if (!v.crs) throw new NunatakError('INPUT', `${fileId}: variable '${varName}' has no grid mapping (CRS), so outline ${shpId} cannot be placed on it`, { hint: 'a CF grid_mapping with an EPSG code or WKT, or a GeoTIFF with a CRS' });
  const o = await readOutline(shp);
  if (!o.crs) throw new NunatakError('INPUT', `${shpId}: the shapefile has no .prj, so its CRS is unknown`, { hint: 'put the .prj next to the .shp' });
  const r = reprojectOutline(o, v.crs.label);
  return {
    id: shpId,
    crs: v.crs.label,
    sourceCrs: o.crs,
    rings: r.features.flatMap((f) => f.polygons.flat()),
  };
}
