/**
 * A glacier model domain in one call (what IGM's OGGM shop prepares): the DEM
 * reprojected to a metric grid around an outline, plus the outline's ice mask.
 */
import { NunatakError } from '../../core/errors.js';
import type { Field } from '../../core/field/field.js';
import { log } from '../../core/log.js';
import { crsAreaWarning } from './crs-area.js';
import { readGeoTiff } from './geotiff.js';
import { readOutline, reprojectOutline, type Outline } from './outline.js';
import { rasterizeOutline } from './rasterize.js';
import { reprojectToGrid, type Bounds } from './reproject.js';

export interface GlacierDomainOptions {
  /** DEM GeoTIFF path (any CRS nunatak knows; .tfw accepted). */
  dem: string;
  /** Outline shapefile path (with .prj). */
  outline: string;
  /** Target metric CRS, e.g. "EPSG:32632" (UTM 32N). */
  crs: string;
  /** Cell size in m. */
  dx: number;
  /** Margin around the outline's bounding box, m (default 1000). */
  margin?: number;
}

export interface GlacierDomain {
  /** Surface elevation (m a.s.l.) on the domain grid, bilinear from the DEM. */
  usurf: Field;
  /** Ice mask (1 inside the outline, cell-centre rule), units "1". */
  icemask: Field;
  /** The outline in the domain's CRS. */
  outline: Outline;
}

/** Outline bounding box in its CRS units, grown by `margin` on every side. */
function outlineBounds(o: Outline, margin: number): Bounds {
  const b: Bounds = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  for (const f of o.features) for (const p of f.polygons) for (const r of p) for (const [x, y] of r) {
    b.xmin = Math.min(b.xmin, x);
    b.xmax = Math.max(b.xmax, x);
    b.ymin = Math.min(b.ymin, y);
    b.ymax = Math.max(b.ymax, y);
  }
  return { xmin: b.xmin - margin, ymin: b.ymin - margin, xmax: b.xmax + margin, ymax: b.ymax + margin };
}

/**
 * Read a DEM and an outline, and return surface elevation and ice mask on a
 * `dx`-metre grid in `crs` covering the outline plus `margin` metres. The DEM
 * must cover the domain: NaN elevations inside the ice mask → NunatakError.
 * An outline outside the area of use of `crs` (a mistyped UTM zone) is warned about.
 */
export async function glacierDomain(opts: GlacierDomainOptions): Promise<GlacierDomain> {
  const original = await readOutline(opts.outline);
  const warning = crsAreaWarning(original, opts.crs);
  if (warning) log.warn(warning);
  const outline = reprojectOutline(original, opts.crs);
  const dem = (await readGeoTiff(opts.dem)).field;
  const usurf = reprojectToGrid(dem, opts.crs, opts.dx, outlineBounds(outline, opts.margin ?? 1000));
  usurf.longName = 'surface elevation';
  usurf.standardName = 'surface_altitude';
  const icemask = rasterizeOutline(outline, usurf.grid, 'icemask');
  let holes = 0;
  for (let k = 0; k < icemask.data.length; k++) if (icemask.data[k] === 1 && Number.isNaN(usurf.data[k])) holes++;
  if (holes > 0) {
    throw new NunatakError('INPUT', `DEM ${opts.dem} does not cover outline ${opts.outline}: ${holes} ice cells have no elevation`, {
      hint: 'use a DEM that covers the whole glacier (plus margin)',
    });
  }
  return { usurf, icemask, outline };
}
