/**
 * CF grid-mapping attributes for the `crs` variable nunatak writes. WGS 84
 * geographic (EPSG:4326) and UTM zones on WGS 84 (EPSG:326zz north, 327zz
 * south) get full CF parameters plus `crs_wkt`; another "EPSG:n" gets
 * `epsg_code` and the WKT of the offline EPSG registry (epsg-index); WKT text goes into `crs_wkt`/`spatial_ref` as given; a
 * proj4 string into `proj4`.
 */
import { NunatakError } from '../../core/errors.js';
import { epsgEntry } from '../geo/crs.js';

const WGS84_DATUM =
  'DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]]';
const WGS84_GEOG = `GEOGCS["WGS 84",${WGS84_DATUM},PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]`;

export type CrsAttrs = Record<string, string | number>;

/** True when the CRS is geographic (lon/lat in degrees). */
export function isGeographicCrs(crs: string): boolean {
  return /^epsg:4326$/i.test(crs.trim()) || /^\s*(GEOGCS|GEOGCRS)\[/i.test(crs) || /\+proj=(longlat|latlong)\b/.test(crs);
}

export function crsAttributes(crs: string, where: string): CrsAttrs {
  const c = crs.trim();
  const epsg = /^epsg:(\d+)$/i.exec(c);
  const ellipsoid = { semi_major_axis: 6378137, inverse_flattening: 298.257223563, longitude_of_prime_meridian: 0 };
  if (epsg) {
    const code = Number(epsg[1]);
    if (code === 4326) {
      return { grid_mapping_name: 'latitude_longitude', ...ellipsoid, epsg_code: 'EPSG:4326', crs_wkt: WGS84_GEOG, spatial_ref: WGS84_GEOG };
    }
    if ((code > 32600 && code <= 32660) || (code > 32700 && code <= 32760)) {
      const zone = code % 100;
      const south = code > 32700;
      const lon0 = -183 + 6 * zone;
      const name = `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`;
      const wkt =
        `PROJCS["${name}",${WGS84_GEOG},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],` +
        `PARAMETER["central_meridian",${lon0}],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],` +
        `PARAMETER["false_northing",${south ? 10000000 : 0}],UNIT["metre",1,AUTHORITY["EPSG","9001"]],` +
        `AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","${code}"]]`;
      return {
        grid_mapping_name: 'transverse_mercator',
        ...ellipsoid,
        scale_factor_at_central_meridian: 0.9996,
        longitude_of_central_meridian: lon0,
        latitude_of_projection_origin: 0,
        false_easting: 500000,
        false_northing: south ? 10000000 : 0,
        epsg_code: `EPSG:${code}`,
        crs_wkt: wkt,
        spatial_ref: wkt,
      };
    }
    // Any other code: its WKT from the offline EPSG registry, so GDAL and other CF readers find the CRS.
    const wkt = epsgEntry(code)?.wkt;
    return wkt ? { epsg_code: `EPSG:${code}`, crs_wkt: wkt, spatial_ref: wkt } : { epsg_code: `EPSG:${code}` };
  }
  if (/^\s*[A-Z_]+\[/.test(c)) return { crs_wkt: c, spatial_ref: c };
  if (/\+proj=/.test(c)) return { proj4: c };
  throw new NunatakError('INPUT', `${where}: unknown CRS '${crs}'`, {
    hint: "expected 'EPSG:<code>', a WKT string or a proj4 string ('+proj=…')",
  });
}
