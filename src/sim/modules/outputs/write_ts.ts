/**
 * `output_ts.nc` (IGM `write_ts`): ice volume `vol` (km³, Σ thk · cell area)
 * and glacier area `area` (km², cells thicker than sim.area_min_thk) at
 * every save, on an unlimited time axis (model years). With the `thk`
 * process, also the mass budget of the interval since the previous save, in
 * m³ of ice per save interval (0 at the first save): `smb_volume` (added by
 * the SMB), `outflow_volume` (left across the domain border) and
 * `clipped_volume` (added by keeping H ≥ 0), so that
 * Δvol · 1e9 = smb_volume − outflow_volume + clipped_volume.
 */
import { join } from 'node:path';
import { createNetcdf, type NetcdfWriter } from '../../../io/netcdf/index.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import type { ThkBudget } from '../processes/thk.js';
import { TIME_UNITS } from './write_ncdf.js';

/** The budget variables: name → (ThkBudget key, long name). */
const BUDGET = [
  ['smb_volume', 'smb', 'ice volume added by the surface mass balance since the previous save'],
  ['outflow_volume', 'outflow', 'ice volume that left the domain across its border since the previous save'],
  ['clipped_volume', 'clipped', 'ice volume added by keeping the thickness non-negative since the previous save'],
] as const;

export const fields = { reads: ['thk'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  state.extra.write_ts = {};
}

export async function run(cfg: SimConfig, state: SimState): Promise<void> {
  if (!state.saveresult) return;
  const { filename } = params<{ filename: string }>(cfg, 'outputs', 'write_ts');
  const x = state.extra.write_ts as { writer?: NetcdfWriter; last?: Record<string, number> };
  const budget = state.extra.thk as ThkBudget | undefined;
  x.writer ??= await createNetcdf(join(state.outDir, filename), {
    time: TIME_UNITS,
    variables: [
      { name: 'vol', dims: ['time'], units: 'km3', longName: 'ice volume', dtype: 'float64' },
      { name: 'area', dims: ['time'], units: 'km2', longName: 'glacier area (ice thicker than sim.area_min_thk)', dtype: 'float64' },
      ...(budget ? BUDGET.map(([name, , longName]) => ({ name, dims: ['time'], units: 'm3', longName: `${longName} (ice, per save interval; 0 at the first save)`, dtype: 'float64' as const })) : []),
    ],
    attrs: { Conventions: 'CF-1.8', source: 'nunatak sim' },
    overwrite: true,
  });
  const sim = cfg.sim as { area_min_thk?: number } | undefined;
  const rec: Record<string, number[]> = { vol: [state.volumeKm3()], area: [state.areaKm2(sim?.area_min_thk ?? 1)] };
  if (budget) {
    // The thk process sums its budget over the run: write the change since the previous save.
    const last = x.last ?? { smb: budget.smb, outflow: budget.outflow, clipped: budget.clipped };
    for (const [name, key] of BUDGET) rec[name] = [budget[key] - last[key]];
    x.last = { smb: budget.smb, outflow: budget.outflow, clipped: budget.clipped };
  }
  x.writer.append(state.t, rec);
}

const module: OutputModule = { initialize, run, fields };
export default module;
