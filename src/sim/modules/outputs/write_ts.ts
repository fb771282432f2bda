/**
 * `output_ts.nc` (IGM `write_ts`): ice volume `vol` (km³, Σ thk · cell area)
 * and glacier area `area` (km², cells thicker than sim.area_min_thk) at
 * every save, on an unlimited time axis (years).
 */
import { join } from 'node:path';
import { createNetcdf, type NetcdfWriter } from '../../../io/netcdf/index.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import { TIME_UNITS } from './write_ncdf.js';

export const fields = { reads: ['thk'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  state.extra.write_ts = {};
}

export async function run(cfg: SimConfig, state: SimState): Promise<void> {
  if (!state.saveresult) return;
  const { filename } = params<{ filename: string }>(cfg, 'outputs', 'write_ts');
  const x = state.extra.write_ts as { writer?: NetcdfWriter };
  x.writer ??= await createNetcdf(join(state.outDir, filename), {
    time: TIME_UNITS,
    variables: [
      { name: 'vol', dims: ['time'], units: 'km3', longName: 'ice volume', dtype: 'float64' },
      { name: 'area', dims: ['time'], units: 'km2', longName: 'glacier area (ice thicker than sim.area_min_thk)', dtype: 'float64' },
    ],
    attrs: { Conventions: 'CF-1.8', source: 'nunatak sim' },
    overwrite: true,
  });
  const sim = cfg.sim as { area_min_thk?: number } | undefined;
  x.writer.append(state.t, { vol: [state.volumeKm3()], area: [state.areaKm2(sim?.area_min_thk ?? 1)] });
}

const module: OutputModule = { initialize, run, fields };
export default module;
