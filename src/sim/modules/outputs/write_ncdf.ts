/**
 * `output.nc` (IGM `write_ncdf`): NetCDF4 with an unlimited `time` axis
 * (model years: `common_years since 0000-01-01`, 365-day calendar), x/y coordinates in m, the CRS as a CF grid
 * mapping, and one record of every chosen field per save (units, long and
 * standard names from the fields); 3-D fields (U, V of the Blatter–Pattyn
 * solver) get their level axis as a coordinate variable (state.levels, else
 * a bare `level_<nz>` dimension). The resolved config is stored as the
 * global attribute `nunatak_config`. The file is complete after every save.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { log } from '../../../core/log.js';
import { createNetcdf, type DimSpec, type NetcdfWriter } from '../../../io/netcdf/index.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import { FIELD_INFO, type SimState } from '../../state.js';

export interface WriteNcdfParams {
  vars_to_save: string[];
  filename: string;
  deflate: number;
}

/**
 * Model time t (a) is written as is, in `common_years since 0000-01-01` on the
 * 365-day calendar: a common year is exactly 365 days (UDUNITS), so model year
 * t reads as calendar year t (t = 1.5 → 0001-07-02 12:00). cftime (xarray's
 * decoder) refuses 'years since' with 365_day; 'common_years' it decodes.
 */
export const TIME_UNITS = { units: 'common_years since 0000-01-01 00:00:00', calendar: '365_day', longName: 'model time' };

/** Fields a restart from this file needs; written whenever the state has them. */
export const RESTART_FIELDS = ['topg', 'thk', 'icemask'];

export const fields = (cfg: SimConfig) => ({ optional: params<WriteNcdfParams>(cfg, 'outputs', 'write_ncdf').vars_to_save });

/** The file is created at the first save, when every field exists. */
export function initialize(_cfg: SimConfig, state: SimState): void {
  state.extra.write_ncdf = { names: [] as string[] };
}

async function open(p: WriteNcdfParams, state: SimState): Promise<{ writer: NetcdfWriter; names: string[] }> {
  const wanted = [...p.vars_to_save, ...RESTART_FIELDS.filter((v) => !p.vars_to_save.includes(v) && state.has(v))];
  const names = wanted.filter((v) => state.has(v));
  const skipped = p.vars_to_save.filter((v) => !state.has(v));
  if (skipped.length) log.warn(`write_ncdf: no field ${skipped.join(', ')} in the state; not written`);
  let config: string | undefined;
  try {
    config = readFileSync(join(state.outDir, 'config.yaml'), 'utf8');
  } catch {
    config = undefined;
  }
  const dims = new Map<string, DimSpec>();
  const writer = await createNetcdf(join(state.outDir, p.filename), {
    grid: state.grid,
    time: TIME_UNITS,
    variables: names.map((n) => {
      const f = state.get(n);
      const level = f.nz ? levelDim(state, n, f.nz, dims) : undefined;
      // A field made without names (a user module, an emulator) still gets the CF standard name of its kind.
      return { name: n, units: f.units, longName: f.longName ?? FIELD_INFO[n]?.longName, standardName: f.standardName ?? FIELD_INFO[n]?.standardName, dtype: 'float32' as const, dims: level ? ['time', level, 'y', 'x'] : undefined };
    }),
    dims: [...dims.values()],
    attrs: { Conventions: 'CF-1.8', source: 'nunatak sim' },
    history: 'nunatak run',
    config,
    deflate: p.deflate || undefined,
    overwrite: true,
  });
  return { writer, names };
}

/** Name of the level dimension of 3-D field `n` (registered in `dims` on first use). */
function levelDim(state: SimState, n: string, nz: number, dims: Map<string, DimSpec>): string {
  const a = state.levels[n];
  const name = a?.name ?? `level_${nz}`;
  const known = dims.get(name);
  if (known && known.size !== nz) throw new NunatakError('SHAPE', `write_ncdf: field '${n}' has ${nz} levels but level axis '${name}' has ${known.size}`);
  if (!known) {
    dims.set(name, a
      ? { name, size: nz, values: a.values, attrs: { units: a.units, long_name: a.longName, positive: a.positive, axis: 'Z' } }
      : { name, size: nz, values: Float64Array.from({ length: nz }, (_, k) => k), attrs: { units: '1', long_name: 'level index' } });
  }
  return name;
}

export async function run(cfg: SimConfig, state: SimState): Promise<void> {
  if (!state.saveresult) return;
  const p = params<WriteNcdfParams>(cfg, 'outputs', 'write_ncdf');
  const x = state.extra.write_ncdf as { writer?: NetcdfWriter; names: string[] };
  if (!x.writer) Object.assign(x, await open(p, state));
  const data: Record<string, Float32Array> = {};
  for (const n of x.names) data[n] = state.get(n).data;
  x.writer!.append(state.t, data);
}

const module: OutputModule = { initialize, run, fields };
export default module;
