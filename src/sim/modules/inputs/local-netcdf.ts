/**
 * The NetCDF path of the `local` input (IGM `local` with type netcdf): x/y
 * coordinates and `topg` and/or `usurf` (plus optional `thk`, `icemask`),
 * each (y, x) or (time, y, x). With a time axis the record at `time` is read
 * (a restart from an earlier output.nc), or the last one when `time` is null.
 * Missing fields are completed as IGM does: thk = 0, topg = usurf − thk,
 * usurf = topg + thk, icemask = 1.
 */
import { NunatakError } from '../../../core/errors.js';
import { Field } from '../../../core/field/field.js';
import { gridOf, openDataset, type Dataset } from '../../../io/netcdf/index.js';
import { FIELD_INFO } from '../../state.js';

export interface NetcdfInput {
  fields: Field[];
  /** The model time of the record read (a), when the file has a time axis. */
  time?: number;
}

function recordIndex(ds: Dataset, file: string, time: number | null): { k: number; t?: number } {
  if (!ds.has('time')) {
    if (time !== null) throw new NunatakError('INPUT', `${file} has no time axis, but inputs.local.time = ${time} asks for a record`, { hint: 'set inputs.local.time: null' });
    return { k: -1 };
  }
  const times = Array.from(ds.read('time', undefined, 'float64').data as Float64Array);
  if (times.length === 0) throw new NunatakError('INPUT', `${file}: the time axis is empty`);
  if (time === null) return { k: times.length - 1, t: times[times.length - 1] };
  const k = times.findIndex((t) => Math.abs(t - time) <= 1e-6 * Math.max(1, Math.abs(time)));
  if (k < 0) throw new NunatakError('INPUT', `${file} has no record at time ${time}`, { hint: `saved times: ${times.join(', ')}` });
  return { k, t: times[k] };
}

export async function readNetcdfInput(file: string, time: number | null): Promise<NetcdfInput> {
  const ds = await openDataset(file);
  try {
    const have = (n: string) => ds.has(n);
    if (!have('topg') && !have('usurf')) {
      throw new NunatakError('INPUT', `${file} has neither 'topg' nor 'usurf'`, {
        hint: `the local input needs the bed (topg) or the surface (usurf) on (y, x); variables in the file: ${ds.vars.map((v) => v.name).join(', ')}`,
      });
    }
    const ref = have('topg') ? 'topg' : 'usurf';
    const grid = gridOf(ds, ref);
    const { k, t } = recordIndex(ds, file, time);
    const n = grid.nx * grid.ny;
    const read = (name: string): Float32Array | undefined => {
      if (!have(name)) return undefined;
      const v = ds.variable(name);
      const timed = v.dims[0] === 'time';
      if (v.dims.length !== (timed ? 3 : 2)) throw new NunatakError('INPUT', `${file}: variable '${name}' has dimensions (${v.dims.join(', ')}), expected (y, x) or (time, y, x)`);
      const slab = timed ? { start: [k, 0, 0], count: [1, grid.ny, grid.nx] } : undefined;
      const d = Float32Array.from(ds.read(name, slab, 'float32').data as ArrayLike<number>);
      if (d.length !== n) throw new NunatakError('SHAPE', `${file}: variable '${name}' has ${d.length} values, the grid of '${ref}' has ${n}`);
      return d;
    };
    const thk = read('thk') ?? new Float32Array(n);
    const topg0 = read('topg');
    const usurf0 = read('usurf');
    const topg = topg0 ?? usurf0!.map((s, i) => s - thk[i]);
    const usurf = usurf0 ?? topg.map((b, i) => b + thk[i]);
    const icemask = read('icemask') ?? new Float32Array(n).fill(1);
    for (const [name, d] of [['topg', topg], ['usurf', usurf], ['thk', thk]] as const) {
      const bad = d.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new NunatakError('INPUT', `${file}: '${name}' is NaN at row ${Math.floor(bad / grid.nx)}, column ${bad % grid.nx}`, { hint: 'fill or crop the missing cells' });
    }
    const mk = (name: string, data: Float32Array) => new Field({ name, grid, data, units: FIELD_INFO[name].units, longName: FIELD_INFO[name].longName, standardName: FIELD_INFO[name].standardName });
    return { fields: [mk('topg', topg), mk('usurf', usurf), mk('thk', thk), mk('icemask', icemask)], time: t };
  } finally {
    ds.close();
  }
}
