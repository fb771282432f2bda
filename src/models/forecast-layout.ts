/**
 * What a models forecast file holds, for every output format (NetCDF4 and
 * zarr): dimensions (time, ensemble, lead_time, lat/lon or y/x), one variable
 * per channel with the source's units, the initial times in the source's
 * calendar, the grid mapping of a projected grid, and the global attributes.
 * `time` (initial time) is first: the NetCDF writer keeps it as the
 * unlimited, first dimension; readers (netCDF4, xarray) address dimensions by
 * name.
 */
import { encodeTime, formatCfDate, type CfDate, type WriterOptions } from '../io/netcdf/index.js';
import type { ModelGrid } from './grid.js';
import type { Region } from './rollout-task.js';

export interface ForecastOptions {
  path: string;
  grid: ModelGrid;
  region: Region;
  channels: string[];
  /** Units per channel (the source's); a channel without is written without `units`. */
  units?: Record<string, string>;
  /** CF calendar of the initial times (the source's, e.g. '360_day'); default proleptic_gregorian. */
  calendar?: string;
  /** Calendar date of each start time (exact in `calendar`); default (or undefined): the Date's UTC fields. */
  startDates?: Array<Omit<CfDate, 'calendar'> | undefined>;
  members: number;
  startTimes: Date[];
  /** Lead time of each output index, in hours. */
  leadHours: number[];
  /** Resolved run config (JSON text), stored as a global attribute. */
  config: string;
  model: string;
  /** Continue an interrupted run (the output and its progress file must exist). */
  resume?: boolean;
  overwrite?: boolean;
}

/** Writer options of the forecast, and its initial times encoded in the time units. */
export function forecastDescription(o: ForecastOptions): { writer: WriterOptions; times: Float64Array } {
  const { y0, y1, x0, x1 } = o.region;
  const g = o.grid;
  const [yv, xv] = g.kind === 'latlon' ? [g.lat, g.lon] : [g.y, g.x];
  const [yn, xn] = g.kind === 'latlon' ? ['lat', 'lon'] : ['y', 'x'];
  // Initial times in the source's calendar, so that init + lead_time lands on the source's own dates.
  const calendar = o.calendar ?? 'proleptic_gregorian';
  const dates = o.startTimes.map((t, i) => o.startDates?.[i] ?? utcFields(t));
  const tunits = `hours since ${formatCfDate(dates[0])}`;
  const yAttrs = g.kind === 'latlon' ? { units: 'degrees_north', standard_name: 'latitude', axis: 'Y' } : { units: 'm', standard_name: 'projection_y_coordinate', axis: 'Y' };
  const xAttrs = g.kind === 'latlon' ? { units: 'degrees_east', standard_name: 'longitude', axis: 'X' } : { units: 'm', standard_name: 'projection_x_coordinate', axis: 'X' };
  const writer: WriterOptions = {
    time: { units: tunits, calendar, longName: 'initial time' },
    dims: [
      { name: 'ensemble', size: o.members, values: Array.from({ length: o.members }, (_, i) => i), attrs: { long_name: 'ensemble member (0 = control)' } },
      { name: 'lead_time', size: o.leadHours.length, values: o.leadHours, attrs: { units: 'hours', long_name: 'lead time', standard_name: 'forecast_period' } },
      { name: yn, size: y1 - y0, values: yv.subarray(y0, y1), attrs: yAttrs },
      { name: xn, size: x1 - x0, values: xv.subarray(x0, x1), attrs: xAttrs },
    ],
    variables: o.channels.map((c) => ({ name: c, dims: ['time', 'ensemble', 'lead_time', yn, xn], dtype: 'float32' as const, units: o.units?.[c], longName: c })),
    // A projected grid gets its CF grid mapping (crs variable, grid_mapping attributes).
    crs: g.kind === 'xy' && g.crs !== 'unknown' ? g.crs : undefined,
    attrs: { Conventions: 'CF-1.10', model: o.model, source: 'nunatak models run' },
    config: o.config,
    history: 'nunatak models run',
    overwrite: o.overwrite,
  };
  return { writer, times: Float64Array.from(dates, (d) => encodeTime(d, tunits, calendar)) };
}

function utcFields(t: Date): Omit<CfDate, 'calendar'> {
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds() + t.getUTCMilliseconds() / 1000 };
}

/** Each pending output of one channel as a contiguous block (members × pixels), as the writers take it. */
export function channelBlock(data: Float32Array, n: number, nChannels: number, ci: number, npix: number): Float32Array {
  const block = new Float32Array(n * npix);
  for (let b = 0; b < n; b++) block.set(data.subarray((b * nChannels + ci) * npix, (b * nChannels + ci + 1) * npix), b * npix);
  return block;
}
