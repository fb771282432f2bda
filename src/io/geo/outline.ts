/**
 * Polygon outlines (glacier / basin boundaries) from ESRI shapefiles: read the
 * `.shp` (+ `.dbf` attributes, + `.prj` CRS as WKT), reproject with proj4, and
 * measure their area. Rasterising to a mask lives in rasterize.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { read } from 'shapefile';
import { NunatakError } from '../../core/errors.js';
import { resolveCrs, transformer } from './crs.js';

/** A ring is a closed list of [x, y] vertices (first = last or implied). */
export type Ring = Array<[number, number]>;
/** A polygon: outer ring first, then holes. */
export type Polygon = Ring[];

/** One shapefile record: its polygons (a multipolygon when > 1) and attributes. */
export interface OutlineFeature {
  polygons: Polygon[];
  properties: Record<string, unknown>;
}

/** Outlines read from a shapefile. Coordinates are in `crs` units (degrees or m). */
export interface Outline {
  features: OutlineFeature[];
  /** CRS label: the `.prj` WKT, "EPSG:nnnn" or proj4; undefined when unknown. */
  crs?: string;
  /** The file it came from (for error messages). */
  source: string;
}

export interface ReadOutlineOptions {
  /** CRS override when the shapefile has no `.prj`. */
  crs?: string;
}

/**
 * Read polygon outlines from a shapefile (`x.shp` with `x.dbf` and `x.prj`
 * beside it). Polygon and MultiPolygon records are kept; other geometry types
 * → NunatakError('INPUT'). The CRS is validated (unknown → INPUT error).
 */
export async function readOutline(shpPath: string, opts: ReadOutlineOptions = {}): Promise<Outline> {
  if (!existsSync(shpPath)) throw new NunatakError('NOT_FOUND', `shapefile ${shpPath} does not exist`, { hint: 'check the path' });
  const base = shpPath.replace(/\.shp$/i, '');
  const dbf = existsSync(base + '.dbf') ? base + '.dbf' : undefined;
  const prj = existsSync(base + '.prj') ? base + '.prj' : undefined;
  const shp = readFileSync(shpPath);
  if (shp.length < 100 || shp.readInt32BE(0) !== 9994) {
    throw new NunatakError('IO', `${shpPath} is not an ESRI shapefile (bad file code)`, { hint: 'expected a .shp starting with file code 9994' });
  }
  let fc;
  try {
    fc = await read(new Uint8Array(shp), dbf ? new Uint8Array(readFileSync(dbf)) : undefined);
  } catch (e) {
    throw new NunatakError('IO', `${shpPath}: cannot read shapefile (${(e as Error).message})`, { hint: 'the file may be truncated', cause: e });
  }
  const features: OutlineFeature[] = [];
  fc.features.forEach((f, k) => {
    const g = f.geometry;
    if (!g) return;
    let polys: number[][][][];
    if (g.type === 'Polygon') polys = [g.coordinates];
    else if (g.type === 'MultiPolygon') polys = g.coordinates;
    else {
      throw new NunatakError('INPUT', `${shpPath}: record ${k} is a ${g.type}, expected Polygon or MultiPolygon`, {
        hint: 'outlines must be polygon shapefiles',
      });
    }
    features.push({
      polygons: polys.map((p) => p.map((r) => r.map((c) => [c[0], c[1]] as [number, number]))),
      properties: { ...(f.properties ?? {}) },
    });
  });
  if (features.length === 0) throw new NunatakError('INPUT', `${shpPath}: no polygons in the shapefile`);
  const crs = opts.crs ?? (prj ? readFileSync(prj, 'utf8').trim() : undefined);
  if (crs !== undefined) resolveCrs(crs, prj && !opts.crs ? prj : shpPath);
  return { features, crs, source: shpPath };
}

/** The outline in another CRS (vertices transformed; no densification). */
export function reprojectOutline(outline: Outline, targetCrs: string): Outline {
  if (outline.crs === undefined) {
    throw new NunatakError('INPUT', `${outline.source}: outline has no CRS (no .prj), cannot reproject it`, {
      hint: 'pass { crs } to readOutline',
    });
  }
  const fwd = transformer(resolveCrs(outline.crs, outline.source), resolveCrs(targetCrs, 'target CRS'));
  return {
    source: outline.source,
    crs: targetCrs,
    features: outline.features.map((f) => ({
      properties: f.properties,
      polygons: f.polygons.map((p) => p.map((r) => r.map(([x, y]) => fwd(x, y)))),
    })),
  };
}

/** Signed shoelace area of a ring (CRS units², positive counter-clockwise). */
export function ringArea(r: Ring): number {
  let a = 0;
  for (let k = 0, n = r.length; k < n; k++) {
    const [x1, y1] = r[k];
    const [x2, y2] = r[(k + 1) % n];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

/** Area of all polygons (outer minus holes), in CRS units² (m² for projected CRSs). */
export function outlineArea(outline: Outline): number {
  let a = 0;
  for (const f of outline.features) {
    for (const p of f.polygons) {
      p.forEach((r, k) => {
        a += k === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r));
      });
    }
  }
  return a;
}
