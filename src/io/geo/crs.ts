/**
 * Coordinate reference systems for rasters and outlines: resolve "EPSG:nnnn",
 * proj4 strings and WKT (OGC WKT1 as found in shapefile `.prj` files) to
 * proj4 definitions, and build point transformers between two CRSs. Any
 * EPSG code resolves offline through the `epsg-index` package (the EPSG
 * dataset, one small JSON file per code, read on first use).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import proj4 from 'proj4';
import { NunatakError } from '../../core/errors.js';

/** A resolved CRS: the label the user gave and the proj4 definition it maps to. */
export interface Crs {
  /** What the user / file said: "EPSG:32632", a proj4 string or WKT. */
  label: string;
  /** proj4 definition usable by `proj4(from, to)`. */
  def: string | proj4.ProjectionDefinition;
  /** True when coordinates are lon/lat degrees rather than metres. */
  geographic: boolean;
}

/** One entry of the offline EPSG registry (package epsg-index, from the EPSG dataset). */
export interface EpsgEntry {
  code: string;
  name: string;
  kind: string;
  proj4: string;
  wkt: string;
  /** Area of use [north, west, south, east] in degrees. */
  bbox: [number, number, number, number];
}

const require = createRequire(import.meta.url);
const entries = new Map<number, EpsgEntry | null>();

/** The registry entry of an EPSG code, or null when the registry has none (read once, from disk). */
export function epsgEntry(code: number): EpsgEntry | null {
  if (!entries.has(code)) {
    let e: EpsgEntry | null;
    try {
      e = JSON.parse(readFileSync(require.resolve(`epsg-index/s/${code}.json`), 'utf8')) as EpsgEntry;
    } catch {
      e = null; // no such code in the registry
    }
    entries.set(code, e);
  }
  return entries.get(code)!;
}

function isKnownEpsg(code: number): boolean {
  const e = epsgEntry(code);
  return proj4.defs(`EPSG:${code}`) !== undefined || (!!e?.proj4 && !e.proj4.includes('+nadgrids='));
}

/** The proj4 name for an EPSG code, registering it from the offline EPSG registry if needed. */
function epsgName(code: number, context: string): string {
  const name = `EPSG:${code}`;
  if (proj4.defs(name) === undefined) {
    const e = epsgEntry(code);
    if (!e) {
      throw new NunatakError('INPUT', `${context}: unknown CRS EPSG:${code}: not in the EPSG registry`, {
        hint: 'check the code (https://epsg.io lists them), or pass the CRS as a proj4 string or WKT',
      });
    }
    if (!e.proj4) {
      throw new NunatakError('INPUT', `${context}: EPSG:${code} (${e.name}, ${e.kind}) has no proj4 form, so it cannot be used to place a grid`, {
        hint: 'give the projected or geographic CRS of the data instead',
      });
    }
    const grids = /\+nadgrids=(\S+)/.exec(e.proj4);
    if (grids) {
      // proj4js cannot shift datums by grid files and nunatak ships none; silently
      // dropping the shift would misplace the grid by up to hundreds of metres.
      throw new NunatakError('INPUT', `${context}: EPSG:${code} (${e.name}) needs the datum-shift grid ${grids[1]}, which nunatak does not have`, {
        hint: `pass the CRS as a proj4 string with a +towgs84=… Helmert shift instead (less exact, ~1 m): ${e.proj4.replace(/\s*\+nadgrids=\S+/, ' +towgs84=…').replace(/\s*\+type=crs\b/, '')}`,
      });
    }
    proj4.defs(name, e.proj4.replace(/\s*\+type=crs\b/, ''));
  }
  return name;
}

/**
 * Resolve a CRS given as "EPSG:nnnn", a proj4 string ("+proj=utm +zone=32 …")
 * or WKT ("PROJCS[…]", "GEOGCS[…]"). `context` names the file or argument for
 * error messages. Unknown / unparsable CRS → NunatakError('INPUT').
 */
export function resolveCrs(crs: string | undefined, context: string): Crs {
  if (crs === undefined || crs.trim() === '') {
    throw new NunatakError('INPUT', `${context}: no CRS`, {
      hint: 'the raster / outline has no georeferencing CRS; pass one explicitly, e.g. { crs: "EPSG:4326" }',
    });
  }
  const s = crs.trim();
  const m = /^EPSG:(\d+)$/i.exec(s);
  let def: string | proj4.ProjectionDefinition;
  if (m) {
    def = epsgName(Number(m[1]), context);
  } else if (s.startsWith('+')) {
    def = s;
  } else if (/^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|COMPD_CS)\s*\[/i.test(s)) {
    def = s;
  } else {
    throw new NunatakError('INPUT', `${context}: cannot read CRS '${s.slice(0, 60)}'`, {
      hint: 'give "EPSG:nnnn", a proj4 string starting with "+proj=" or OGC WKT',
    });
  }
  let projection: proj4.Converter;
  try {
    projection = proj4(def as string);
  } catch (e) {
    throw new NunatakError('INPUT', `${context}: unknown or unsupported CRS '${s.slice(0, 80)}'`, {
      hint: 'proj4 could not parse it; give "EPSG:nnnn" or a proj4 string',
      cause: e,
    });
  }
  // proj4 returns a converter whose oProj describes the projection.
  const oProj = (projection as unknown as { oProj?: { projName?: string; units?: string } }).oProj;
  if (!oProj || !oProj.projName) {
    throw new NunatakError('INPUT', `${context}: CRS '${s.slice(0, 80)}' has no projection`, {
      hint: 'give "EPSG:nnnn" or a proj4 string',
    });
  }
  const geographic = oProj.projName === 'longlat' || oProj.projName === 'identity';
  return { label: m ? `EPSG:${m[1]}` : s, def, geographic };
}

/** True when nunatak can resolve this EPSG code without network access. */
export function knowsEpsg(code: number): boolean {
  return isKnownEpsg(code);
}

/** A function mapping (x, y) in one CRS to [x, y] in another. */
export type PointTransform = (x: number, y: number) => [number, number];

/** Point transformer from `from` to `to` (identity when they are the same label). */
export function transformer(from: Crs, to: Crs): PointTransform {
  if (from.label === to.label) return (x, y) => [x, y];
  const conv = proj4(from.def as string, to.def as string);
  return (x, y) => {
    const r = conv.forward([x, y]) as number[];
    return [r[0], r[1]];
  };
}
