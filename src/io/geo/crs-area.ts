/**
 * Does a projected CRS suit a glacier? Each EPSG CRS has an area of use (a
 * lon/lat box, e.g. UTM zone 33N: 12–18°E, 0–84°N); outside it a transverse
 * Mercator grid distorts lengths and areas more and more (about 0.1 % one
 * zone width off, growing with the square of the distance), so an outline
 * outside the area usually means a mistyped zone. UTM proj4 strings
 * (`+proj=utm +zone=N [+south]`) get their zone's box.
 */
import { epsgEntry, resolveCrs, transformer } from './crs.js';
import type { Outline } from './outline.js';

/** Area of use in degrees. `west > east` means the box crosses the antimeridian. */
export interface AreaOfUse {
  north: number;
  west: number;
  south: number;
  east: number;
  /** What the box is: "EPSG:32633 (WGS 84 / UTM zone 33N)". */
  name: string;
}

/** The area of use of a CRS label, when nunatak knows it (EPSG codes, UTM proj4 strings). */
export function areaOfUse(crs: string): AreaOfUse | undefined {
  const m = /^EPSG:(\d+)$/i.exec(crs.trim());
  if (m) {
    const e = epsgEntry(Number(m[1]));
    if (!e?.bbox || e.bbox.length !== 4) return undefined;
    const [north, west, south, east] = e.bbox;
    return { north, west, south, east, name: `EPSG:${m[1]} (${e.name})` };
  }
  const utm = /\+proj=utm\b/.test(crs) ? /\+zone=(\d+)/.exec(crs) : null;
  if (!utm) return undefined;
  const zone = Number(utm[1]);
  const south = /\+south\b/.test(crs);
  return { north: south ? 0 : 84, south: south ? -80 : 0, west: -180 + 6 * (zone - 1), east: -180 + 6 * zone, name: `UTM zone ${zone}${south ? 'S' : 'N'}` };
}

/** The outline's lon/lat bounding box, [west, south, east, north] in degrees. */
function lonLatBox(outline: Outline): [number, number, number, number] {
  const toLL = transformer(resolveCrs(outline.crs, outline.source), resolveCrs('EPSG:4326', 'lon/lat'));
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of outline.features) for (const p of f.polygons) for (const r of p) for (const [x, y] of r) {
    const [lon, lat] = toLL(x, y);
    b[0] = Math.min(b[0], lon);
    b[1] = Math.min(b[1], lat);
    b[2] = Math.max(b[2], lon);
    b[3] = Math.max(b[3], lat);
  }
  return b;
}

const inLon = (lon: number, a: AreaOfUse): boolean => (a.west <= a.east ? lon >= a.west && lon <= a.east : lon >= a.west || lon <= a.east);

/**
 * A warning when the outline (in any CRS with a `.prj`) reaches outside the
 * area of use of `crs`; undefined when it lies inside, or when either area is
 * unknown.
 */
export function crsAreaWarning(outline: Outline, crs: string): string | undefined {
  const area = areaOfUse(crs);
  if (!area || outline.crs === undefined) return undefined;
  const [w, s, e, n] = lonLatBox(outline);
  if (inLon(w, area) && inLon(e, area) && s >= area.south && n <= area.north) return undefined;
  const f = (x: number) => x.toFixed(2);
  return `${outline.source}: the outline (${f(w)}…${f(e)}°E, ${f(s)}…${f(n)}°N) lies outside the area of use of ${area.name}: ${f(area.west)}…${f(area.east)}°E, ${f(area.south)}…${f(area.north)}°N — lengths and areas on this grid are distorted; is the zone right?`;
}
