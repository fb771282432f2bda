/**
 * The models face's two computed maps, read for one (initial time, lead):
 * the verification field at the forecast's valid time (init + lead·step·frequency,
 * the same valid time `models score` uses, read through the models NetCDF data
 * source and cut to the forecast's region), and the ensemble spread (standard
 * deviation over members, unbiased m − 1 form as in the scores' `spread`).
 * Both are strided like the forecast map so the page can difference them cell by cell.
 */
import { NunatakError } from '../../core/errors.js';
import { openDataset, type Dataset } from '../../io/index.js';
import { addDuration, parseDuration } from '../../models/duration.js';
import { labelDate } from '../../models/label-date.js';
import { NetcdfSource } from '../../models/netcdf-source.js';
import { resolveId, type Root } from '../path-guard.js';
import { MAX_MAP_PX } from '../protocol.js';
import { finiteRange, type Slab } from '../hyperslab.js';
import { forecastConfig, servedId } from './forecast-config.js';

/** Which forecast map: channel, initial-time index, lead index. */
export interface ForecastAt {
  channel: string;
  start: number;
  lead: number;
}

/** Stride a (ny, nx) field as readMap does (≤ MAX_MAP_PX per axis). */
function strided(a: ArrayLike<number>, ny: number, nx: number): Slab {
  const [sy, sx] = [Math.max(1, Math.ceil(ny / MAX_MAP_PX)), Math.max(1, Math.ceil(nx / MAX_MAP_PX))];
  const [oy, ox] = [Math.ceil(ny / sy), Math.ceil(nx / sx)];
  const data = new Float32Array(oy * ox);
  for (let j = 0; j < oy; j++) for (let i = 0; i < ox; i++) data[j * ox + i] = a[j * sy * nx + i * sx];
  return { data, shape: [oy, ox], stride: [sy, sx], ...finiteRange(data) };
}

/** The channel's shape [nt, members, leads, ny, nx], with the indices checked. */
function checkAt(ds: Dataset, where: string, at: ForecastAt): number[] {
  if (!ds.has(at.channel) || ds.variable(at.channel).shape.length !== 5) {
    throw new NunatakError('NOT_FOUND', `${where}: no forecast channel '${at.channel}' (time, ensemble, lead_time, y, x)`);
  }
  const shape = ds.variable(at.channel).shape;
  const bad = (i: number, n: number) => !Number.isInteger(i) || i < 0 || i >= n;
  if (bad(at.start, shape[0]) || bad(at.lead, shape[2])) {
    throw new NunatakError('INPUT', `${where}: start ${at.start} / lead ${at.lead} outside the forecast (${shape[0]} initial times, ${shape[2]} leads)`, { hint: `use start 0…${shape[0] - 1}, lead 0…${shape[2] - 1}` });
  }
  return shape;
}

async function withForecast<T>(real: string, fn: (ds: Dataset) => Promise<T>): Promise<T> {
  const ds = await openDataset(real);
  try {
    return await fn(ds);
  } finally {
    ds.close();
  }
}

/** Verification at the valid time of (start, lead); its data file must be served (path guard), else NOT_FOUND. */
export function readVerification(roots: Root[], real: string, where: string, at: ForecastAt): Promise<Slab & { valid: string }> {
  return withForecast(real, async (ds) => {
    const [, , , ry, rx] = checkAt(ds, where, at);
    const cfg = forecastConfig(ds.attrs.nunatak_config, where);
    const id = servedId(roots, cfg.data.file);
    if (!id) throw new NunatakError('NOT_FOUND', `${where}: its verification data ${cfg.data.file} is not among the served paths`, { hint: `serve it too: nunatak view <folder> ${cfg.data.file}` });
    const init = ds.readTimes('time', { start: [at.start], count: [1] })[0];
    if (!init) throw new NunatakError('INPUT', `${where}: initial time ${at.start} is missing`);
    const lead = Number(ds.read('lead_time', { start: [at.lead], count: [1] }).data[0]);
    const valid = addDuration(labelDate(init), parseDuration(cfg.time_step, `${where}: time_step`), at.lead * cfg.output.frequency);
    const src = await NetcdfSource.open(resolveId(roots, id), { lexicon: cfg.data.lexicon });
    try {
      if (!src.times.some((t) => t.getTime() === valid.getTime())) {
        throw new NunatakError('NOT_FOUND', `${cfg.data.file}: no verification data at ${valid.toISOString()} (initial time ${at.start} + ${lead} h)`);
      }
      const full = await src.read(valid, [at.channel]);
      const nx = src.grid.kind === 'latlon' ? src.grid.lon.length : src.grid.x.length;
      const region = new Float32Array(ry * rx);
      for (let j = 0; j < ry; j++) region.set(full.subarray((cfg.region_y0 + j) * nx + cfg.region_x0, (cfg.region_y0 + j) * nx + cfg.region_x0 + rx), j * rx);
      return { ...strided(region, ry, rx), valid: valid.toISOString() };
    } finally {
      src.close();
    }
  });
}

/** Standard deviation over members (m − 1 in the denominator) at (start, lead); a single member is an INPUT error. */
export function readSpread(real: string, where: string, at: ForecastAt): Promise<Slab> {
  return withForecast(real, async (ds) => {
    const [, m, , ry, rx] = checkAt(ds, where, at);
    if (m < 2) throw new NunatakError('INPUT', `${where}: '${at.channel}' has ${m} member; a spread needs 2 or more`, { hint: 'run the forecast with members: 2 or more' });
    const { data } = ds.read(at.channel, { start: [at.start, 0, at.lead, 0, 0], count: [1, m, 1, ry, rx] }, 'float64');
    const n = ry * rx;
    const sd = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      let mean = 0;
      for (let e = 0; e < m; e++) mean += data[e * n + p] / m;
      let ss = 0;
      for (let e = 0; e < m; e++) ss += (data[e * n + p] - mean) ** 2;
      sd[p] = Math.sqrt(ss / (m - 1));
    }
    return strided(sd, ry, rx);
  });
}
