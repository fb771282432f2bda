/**
 * Raster reprojection with proj4: every target cell centre is mapped back into
 * the source CRS and the source is sampled bilinearly (cell-centre convention,
 * NaN neighbours dropped and the weights renormalised, as GDAL does). Target
 * cells whose centre falls outside the source raster are NaN.
 */
import { NunatakError } from '../../core/errors.js';
import { Field } from '../../core/field/field.js';
import { makeGrid, type Grid } from '../../core/field/grid.js';
import { resolveCrs, transformer, type Crs } from './crs.js';

/** Axis-aligned bounds in target CRS units (m for projected CRSs). */
export interface Bounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/**
 * Bilinear sample of a 2-D field at fractional cell-centre indices (fi along x,
 * fj along y). Points up to half a cell outside the outer centres are clamped
 * (they are still inside the raster's footprint); beyond that → NaN.
 */
export function sampleBilinear(field: Field, fi: number, fj: number): number {
  const { nx, ny } = field.grid;
  if (!(fi >= -0.5 && fi <= nx - 0.5 && fj >= -0.5 && fj <= ny - 0.5)) return NaN;
  const x = Math.min(Math.max(fi, 0), nx - 1);
  const y = Math.min(Math.max(fj, 0), ny - 1);
  const i0 = Math.min(Math.floor(x), Math.max(nx - 2, 0));
  const j0 = Math.min(Math.floor(y), Math.max(ny - 2, 0));
  const i1 = Math.min(i0 + 1, nx - 1);
  const j1 = Math.min(j0 + 1, ny - 1);
  const tx = x - i0;
  const ty = y - j0;
  const d = field.data;
  const w = [(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty];
  const v = [d[j0 * nx + i0], d[j0 * nx + i1], d[j1 * nx + i0], d[j1 * nx + i1]];
  let sw = 0;
  let s = 0;
  for (let k = 0; k < 4; k++) {
    if (w[k] > 0 && !Number.isNaN(v[k])) {
      sw += w[k];
      s += w[k] * v[k];
    }
  }
  return sw > 0 ? s / sw : NaN;
}

function sourceCrsOf(field: Field): Crs {
  if (field.grid.crs === undefined) {
    throw new NunatakError('INPUT', `field '${field.name}' has no CRS, cannot reproject it`, {
      hint: 'read the raster with its georeferencing or pass { crs } to readGeoTiff',
    });
  }
  return resolveCrs(field.grid.crs, `field '${field.name}'`);
}

/**
 * Resample a 2-D field onto an existing target grid (its `crs` must be set).
 * Bilinear; NaN outside the source. Returns a new Field on `target`.
 */
export function resampleToGrid(field: Field, target: Grid): Field {
  if (field.nz) throw new NunatakError('SHAPE', `field '${field.name}' is 3-D; reproject one level at a time`);
  const src = sourceCrsOf(field);
  const dst = resolveCrs(target.crs, 'target grid');
  const back = transformer(dst, src);
  const g = field.grid;
  const out = new Float32Array(target.nx * target.ny);
  for (let j = 0; j < target.ny; j++) {
    const y = target.y0 + j * target.dy;
    for (let i = 0; i < target.nx; i++) {
      const [sx, sy] = back(target.x0 + i * target.dx, y);
      out[j * target.nx + i] = Number.isFinite(sx) && Number.isFinite(sy) ? sampleBilinear(field, (sx - g.x0) / g.dx, (sy - g.y0) / g.dy) : NaN;
    }
  }
  return new Field({ name: field.name, grid: target, units: field.units, data: out, longName: field.longName, standardName: field.standardName });
}

/** Bounds of a field's footprint (cell edges) in another CRS, from 64 points per edge. */
export function footprintBounds(field: Field, targetCrs: string): Bounds {
  const src = sourceCrsOf(field);
  const fwd = transformer(src, resolveCrs(targetCrs, 'target CRS'));
  const g = field.grid;
  const xa = g.x0 - 0.5 * g.dx;
  const ya = g.y0 - 0.5 * g.dy;
  const xb = xa + g.nx * g.dx;
  const yb = ya + g.ny * g.dy;
  const b: Bounds = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  const n = 64;
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    for (const [x, y] of [
      [xa + t * (xb - xa), ya],
      [xa + t * (xb - xa), yb],
      [xa, ya + t * (yb - ya)],
      [xb, ya + t * (yb - ya)],
    ]) {
      const [px, py] = fwd(x, y);
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      b.xmin = Math.min(b.xmin, px);
      b.xmax = Math.max(b.xmax, px);
      b.ymin = Math.min(b.ymin, py);
      b.ymax = Math.max(b.ymax, py);
    }
  }
  if (!Number.isFinite(b.xmin)) {
    throw new NunatakError('INPUT', `field '${field.name}' cannot be projected to ${targetCrs} (no finite corner)`);
  }
  return b;
}

/**
 * A north-up grid in `crs` covering `bounds` with square cells of `dx` (CRS
 * units, m for UTM). Edges are snapped outward to multiples of dx, like
 * `gdalwarp -tap`, so grids from different rasters line up.
 */
export function gridForBounds(bounds: Bounds, crs: string, dx: number): Grid {
  if (!(dx > 0 && Number.isFinite(dx))) throw new NunatakError('INPUT', `resolution dx=${dx} must be a positive number (CRS units, m)`);
  const xmin = Math.floor(bounds.xmin / dx) * dx;
  const xmax = Math.ceil(bounds.xmax / dx) * dx;
  const ymin = Math.floor(bounds.ymin / dx) * dx;
  const ymax = Math.ceil(bounds.ymax / dx) * dx;
  const nx = Math.round((xmax - xmin) / dx);
  const ny = Math.round((ymax - ymin) / dx);
  return makeGrid({ nx, ny, x0: xmin + 0.5 * dx, y0: ymax - 0.5 * dx, dx, dy: -dx, crs });
}

/**
 * Reproject a 2-D field to a regular grid in `targetCrs` (e.g. "EPSG:32632",
 * UTM 32N) with square cells of `dx` (target CRS units: m). `bounds` defaults to
 * the source footprint; cells outside the source are NaN. Bilinear resampling.
 */
export function reprojectToGrid(field: Field, targetCrs: string, dx: number, bounds?: Bounds): Field {
  resolveCrs(targetCrs, 'target CRS');
  const b = bounds ?? footprintBounds(field, targetCrs);
  return resampleToGrid(field, gridForBounds(b, targetCrs, dx));
}
