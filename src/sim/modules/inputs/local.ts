/**
 * Real topography (IGM `local`). `type: netcdf` reads topg/usurf/thk/icemask
 * from a NetCDF file (a record of an earlier output.nc for restarts; see
 * local-netcdf.ts). `type: geotiff`: a DEM GeoTIFF and a glacier outline are
 * reprojected to a metric grid of `dx` metres around the outline (io/geo
 * `glacierDomain`), rows flipped to run south → north, optionally cropped and
 * coarsened. Writes topg, usurf, thk and icemask. With `bed: dem` the DEM is
 * the bed and the glacier grows from ice-free (thk = 0).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { Field } from '../../../core/field/field.js';
import { glacierDomain } from '../../../io/geo/index.js';
import { readNetcdfInput } from './local-netcdf.js';
import { coarsen, cropFields, northward, type CropBox } from '../../grid-ops.js';
import { params, type InputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface LocalParams {
  type: 'netcdf' | 'geotiff';
  filename: string;
  time: number | null;
  dem: string | null;
  outline: string | null;
  crs: string | null;
  dx: number;
  margin: number;
  bed: 'dem';
  crop: CropBox;
  coarsening: { ratio: number };
}

function need(p: LocalParams, key: 'dem' | 'outline' | 'crs', baseDir: string): string {
  const v = p[key];
  if (v === null || v === '') {
    throw new NunatakError('CONFIG', `inputs.local.${key} is not set`, { hint: 'type geotiff needs dem (GeoTIFF), outline (shapefile) and crs (e.g. EPSG:32632)' });
  }
  if (key === 'crs') return v;
  const f = resolve(baseDir, v);
  if (!existsSync(f)) throw new NunatakError('NOT_FOUND', `inputs.local.${key}: ${f} does not exist`);
  return f;
}

export const fields = { writes: ['topg', 'usurf', 'thk', 'icemask'] };

export async function run(cfg: SimConfig, state: SimState): Promise<void> {
  const p = params<LocalParams>(cfg, 'inputs', 'local');
  if (p.type === 'netcdf') return runNetcdf(p, state);
  const d = await glacierDomain({ dem: need(p, 'dem', state.baseDir), outline: need(p, 'outline', state.baseDir), crs: need(p, 'crs', state.baseDir), dx: p.dx, margin: p.margin });
  let usurf = northward(d.usurf);
  let mask = northward(d.icemask);
  [usurf, mask] = cropFields([usurf, mask], p.crop);
  usurf = coarsen(usurf, p.coarsening.ratio);
  mask = coarsen(mask, p.coarsening.ratio);
  for (let k = 0; k < mask.data.length; k++) mask.data[k] = mask.data[k] >= 0.5 ? 1 : 0;
  const nan = usurf.data.findIndex((v) => !Number.isFinite(v));
  if (nan >= 0) {
    const g = usurf.grid;
    throw new NunatakError('INPUT', `inputs.local: DEM ${p.dem} has no elevation at x = ${g.x0 + (nan % g.nx) * g.dx} m, y = ${g.y0 + Math.floor(nan / g.nx) * g.dy} m of the model grid`, {
      hint: 'reduce inputs.local.margin or crop the domain to where the DEM has data',
    });
  }
  state.setGrid(usurf.grid);
  const g = usurf.grid;
  state.set(new Field({ name: 'topg', grid: g, units: 'm', data: usurf.data.slice(), longName: 'bed elevation', standardName: 'bedrock_altitude' }));
  state.set(new Field({ name: 'usurf', grid: g, units: 'm', data: usurf.data, longName: 'ice surface elevation', standardName: 'surface_altitude' }));
  state.set(new Field({ name: 'icemask', grid: g, units: '1', data: mask.data, longName: 'ice mask (1 inside the glacier outline)' }));
  state.ensure('thk');
}

async function runNetcdf(p: LocalParams, state: SimState): Promise<void> {
  const file = resolve(state.baseDir, p.filename);
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `inputs.local.filename: ${file} does not exist`, { hint: 'give a NetCDF file with x, y and topg or usurf' });
  const r = await readNetcdfInput(file, p.time);
  let fs = r.fields.map(northward);
  fs = cropFields(fs, p.crop).map((f) => coarsen(f, p.coarsening.ratio));
  state.setGrid(fs[0].grid);
  for (const f of fs) state.set(f);
}

const module: InputModule = { run, fields };
export default module;
