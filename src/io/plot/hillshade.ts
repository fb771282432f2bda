/**
 * Analytical hillshading of a DEM (Horn 1981 slopes, as `gdaldem hillshade`):
 * shade = cos(zenith)·cos(slope) + sin(zenith)·sin(slope)·cos(azimuth − aspect),
 * clipped to [0, 1]. NaN neighbours are replaced by the centre value (so
 * edges next to nodata are shaded, not dropped); NaN centres stay NaN.
 */
import type { Field } from '../../core/field/field.js';
import { resolveCrs } from '../geo/crs.js';

/** Metres per degree of latitude / of longitude at latitude φ (WGS84 ellipsoid, series form). */
function metresPerDegree(latDeg: number): [number, number] {
  const p = (latDeg * Math.PI) / 180;
  const lat = 111132.92 - 559.82 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p);
  const lon = 111412.84 * Math.cos(p) - 93.5 * Math.cos(3 * p);
  return [lat, lon];
}

export interface HillshadeOptions {
  /** Sun azimuth, degrees clockwise from north (default 315, the NW convention). */
  azimuth?: number;
  /** Sun altitude above the horizon, degrees (default 45). */
  altitude?: number;
  /** Vertical exaggeration (default 1). */
  zFactor?: number;
}

/**
 * Hillshade in [0, 1] for a DEM (elevations in m). Projected grids use dx, dy
 * as metres; lon/lat grids are converted to metres at the grid's mid-latitude.
 * Edge cells reuse their nearest interior neighbour's window.
 */
export function hillshade(dem: Field, opts: HillshadeOptions = {}): Float32Array {
  const { nx, ny } = dem.grid;
  let { dx, dy } = dem.grid;
  if (dem.grid.crs !== undefined && resolveCrs(dem.grid.crs, `field '${dem.name}'`).geographic) {
    const [mLat, mLon] = metresPerDegree(dem.grid.y0 + 0.5 * (ny - 1) * dy);
    dx *= mLon;
    dy *= mLat;
  }
  const z = dem.data;
  const zf = opts.zFactor ?? 1;
  const az = ((opts.azimuth ?? 315) * Math.PI) / 180;
  const zen = ((90 - (opts.altitude ?? 45)) * Math.PI) / 180;
  const out = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const z0 = z[j * nx + i];
      const at = (jj: number, ii: number) => {
        const v = z[Math.min(ny - 1, Math.max(0, jj)) * nx + Math.min(nx - 1, Math.max(0, ii))];
        return Number.isNaN(v) ? z0 : v;
      };
      const [a, b, c, d, f, g, h, k] = [at(j - 1, i - 1), at(j - 1, i), at(j - 1, i + 1), at(j, i - 1), at(j, i + 1), at(j + 1, i - 1), at(j + 1, i), at(j + 1, i + 1)];
      // Horn: derivatives along the grid's +x (east) and +row directions.
      const dzdx = ((c + 2 * f + k) - (a + 2 * d + g)) / (8 * dx);
      const dzdrow = ((g + 2 * h + k) - (a + 2 * b + c)) / 8;
      // Convert the row derivative to a northward derivative (dy < 0 for north-up grids).
      const dzdy = dzdrow / dy;
      const p = zf * dzdx;
      const q = zf * dzdy;
      const slope = Math.atan(Math.hypot(p, q));
      // Aspect: direction the slope faces (downhill), clockwise from north.
      const aspect = Math.atan2(-p, -q);
      const s = Math.cos(zen) * Math.cos(slope) + Math.sin(zen) * Math.sin(slope) * Math.cos(az - aspect);
      out[j * nx + i] = Number.isNaN(s) ? NaN : Math.max(0, Math.min(1, s));
    }
  }
  return out;
}
