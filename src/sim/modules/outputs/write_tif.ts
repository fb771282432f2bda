/**
 * `write_tif` (IGM `write_tif`): one float32 GeoTIFF per chosen field and save,
 * `<folder>/<var>-<t>.tif` (t in whole model years, zero-padded to 6 digits),
 * georeferenced with the run's grid and CRS (an EPSG code). The sim's grids
 * are south-up; writeGeoTiff writes them north-up, as GIS tools expect.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { log } from '../../../core/log.js';
import { writeGeoTiff } from '../../../io/geo/index.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface WriteTifParams {
  vars_to_save: string[];
  folder: string;
}

export const fields = (cfg: SimConfig) => ({ optional: params<WriteTifParams>(cfg, 'outputs', 'write_tif').vars_to_save });

export function initialize(cfg: SimConfig, state: SimState): void {
  if (!state.grid.crs) {
    throw new NunatakError('CONFIG', 'outputs.write_tif: the run\'s grid has no CRS, so a GeoTIFF cannot be georeferenced', { hint: 'give the input a CRS (inputs.local.crs: EPSG:…), or drop write_tif' });
  }
  const p = params<WriteTifParams>(cfg, 'outputs', 'write_tif');
  mkdirSync(join(state.outDir, p.folder), { recursive: true });
  state.extra.write_tif = { warned: false };
}

export function run(cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  const p = params<WriteTifParams>(cfg, 'outputs', 'write_tif');
  const x = state.extra.write_tif as { warned: boolean };
  const missing = p.vars_to_save.filter((v) => !state.has(v));
  if (missing.length && !x.warned) log.warn(`write_tif: no field ${missing.join(', ')} in the state; not written`);
  x.warned = true;
  const t = String(Math.round(state.t)).padStart(6, '0');
  for (const v of p.vars_to_save) {
    if (!state.has(v)) continue;
    const f = state.get(v);
    if (f.nz) continue; // 3-D fields (U, V) do not fit one band
    writeGeoTiff(join(state.outDir, p.folder, `${v}-${t}.tif`), f);
  }
}

const module: OutputModule = { initialize, run, fields };
export default module;
