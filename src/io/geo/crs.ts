/**
 * Coordinate reference systems for rasters and outlines: resolve "EPSG:nnnn",
 * proj4 strings and WKT (OGC WKT1 as found in shapefile `.prj` files) to
 * proj4 definitions, and build point transformers between two CRSs.
 */
import proj4 from 'proj4';
import { NunatakError } from '../../core/errors.js';

/**
 * EPSG codes beyond proj4's built-ins (4326, 4269, 3857, WGS84 UTM 326xx/327xx)
 * that glaciologists meet often. Definitions are the EPSG registry's proj4 forms.
 */
const EXTRA_EPSG: Record<number, string> = {
  3035: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  3031: '+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
  3413: '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs',
  4258: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
};
// ETRS89 / UTM zones 28N–38N (EPSG:25828–25838), common for European DEMs.
for (let zone = 28; zone <= 38; zone++) {
  EXTRA_EPSG[25800 + zone] = `+proj=utm +zone=${zone} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`;
}

/** A resolved CRS: the label the user gave and the proj4 definition it maps to. */
export interface Crs {
  /** What the user / file said: "EPSG:32632", a proj4 string or WKT. */
  label: string;
  /** proj4 definition usable by `proj4(from, to)`. */
  def: string | proj4.ProjectionDefinition;
  /** True when coordinates are lon/lat degrees rather than metres. */
  geographic: boolean;
}

function isKnownEpsg(code: number): boolean {
  if (EXTRA_EPSG[code]) return true;
  return proj4.defs(`EPSG:${code}`) !== undefined;
}

/** The proj4 name for an EPSG code, registering it from the extra table if needed. */
function epsgName(code: number, context: string): string {
  const name = `EPSG:${code}`;
  if (proj4.defs(name) === undefined) {
    const def = EXTRA_EPSG[code];
    if (!def) {
      throw new NunatakError('INPUT', `${context}: unknown CRS EPSG:${code}`, {
        hint: `nunatak knows EPSG:4326, 4269, 4258, 3857, 3035, 3031, 3413, WGS84 UTM (326xx/327xx) and ETRS89 UTM (25828–25838); pass the CRS as a proj4 string or WKT instead`,
      });
    }
    proj4.defs(name, def);
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
