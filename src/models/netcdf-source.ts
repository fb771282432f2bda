/**
 * A CF NetCDF file as a data source: each channel is a variable with dims
 * (time, y/lat, x/lon), named through a lexicon {channel: variable}. Times are
 * matched by calendar fields (year, month, day, hour, minute, second), so
 * 360_day and noleap files work for dates JavaScript can name. The source's
 * calendar, units and CRS (its grid mapping) are kept for the outputs.
 */
import { NunatakError, didYouMean } from '../core/errors.js';
import { openDataset, findXY, crsOf, type CfDate, type Dataset } from '../io/netcdf/index.js';
import type { ModelGrid } from './grid.js';
import type { DataSource } from './datasource.js';
import { labelDate } from './label-date.js';

export interface NetcdfSourceOptions {
  /** Channel → variable name; default: every (time, y, x) variable under its own name. */
  lexicon?: Record<string, string>;
}

export class NetcdfSource implements DataSource {
  private constructor(
    readonly describe: string,
    readonly grid: ModelGrid,
    readonly times: Date[],
    private readonly ds: Dataset,
    private readonly lexicon: Record<string, string>,
    /** Calendar dates of `times`, in order. */
    private readonly dates: CfDate[],
    readonly calendar: string,
    readonly units: Record<string, string>,
  ) {}

  cfDate(time: Date): CfDate | undefined {
    const k = this.times.findIndex((t) => t.getTime() === time.getTime());
    return k < 0 ? undefined : this.dates[k];
  }

  get channels(): string[] {
    return Object.keys(this.lexicon);
  }

  static async open(path: string, o: NetcdfSourceOptions = {}): Promise<NetcdfSource> {
    const ds = await openDataset(path);
    const gridded = ds.vars.filter((v) => v.dims.length === 3 && v.shape[0] >= 1 && !ds.dims.some((d) => d.name === v.name));
    const lexicon = o.lexicon ?? Object.fromEntries(gridded.map((v) => [v.name, v.name]));
    const names = ds.vars.map((v) => v.name);
    const entries = Object.entries(lexicon);
    if (entries.length === 0) throw new NunatakError('NOT_FOUND', `${path}: no (time, y, x) variables to serve as channels`);
    let grid: ModelGrid | undefined;
    let timeDim = '';
    for (const [ch, vn] of entries) {
      if (!ds.has(vn)) throw new NunatakError('NOT_FOUND', `${path}: lexicon maps channel '${ch}' to variable '${vn}', which the file lacks${didYouMean(vn, names)}`, { hint: `variables: ${names.join(', ')}` });
      const v = ds.variable(vn);
      const xy = findXY(ds, vn);
      if (v.dims.length !== 3 || xy.yAxis !== 1 || xy.xAxis !== 2) {
        throw new NunatakError('SHAPE', `${path}: variable '${vn}' has dims (${v.dims.join(', ')}); a channel needs (time, y, x)`);
      }
      const g: ModelGrid = xy.kind === 'geographic' ? { kind: 'latlon', lat: xy.y, lon: xy.x } : { kind: 'xy', y: xy.y, x: xy.x, crs: crsOf(ds, xy.gridMapping) ?? 'unknown' };
      if (grid && (gridLen(grid) !== gridLen(g))) throw new NunatakError('SHAPE', `${path}: variable '${vn}' is on a different grid from the other channels`);
      grid ??= g;
      if (timeDim && v.dims[0] !== timeDim) throw new NunatakError('SHAPE', `${path}: variable '${vn}' has time dimension '${v.dims[0]}', others '${timeDim}'`);
      timeDim = v.dims[0];
    }
    if (!ds.has(timeDim)) throw new NunatakError('NOT_FOUND', `${path}: no coordinate variable '${timeDim}' for the time dimension`);
    const dates = ds.readTimes(timeDim).map((d, i) => {
      if (!d) throw new NunatakError('INPUT', `${path}: ${timeDim}[${i}] is missing`);
      return d;
    });
    const calendar = ds.variable(timeDim).attrs.calendar;
    const units = Object.fromEntries(entries.flatMap(([ch, vn]) => {
      const u = ds.variable(vn).attrs.units;
      return typeof u === 'string' ? [[ch, u]] : [];
    }));
    return new NetcdfSource(path, grid!, dates.map(labelDate), ds, lexicon, dates, typeof calendar === 'string' ? calendar : 'standard', units);
  }

  async read(time: Date, channels: string[]): Promise<Float32Array> {
    const k = this.times.findIndex((t) => t.getTime() === time.getTime());
    if (k < 0) throw new NunatakError('NOT_FOUND', `${this.describe}: no data at ${time.toISOString()}`);
    const [ny, nx] = this.grid.kind === 'latlon' ? [this.grid.lat.length, this.grid.lon.length] : [this.grid.y.length, this.grid.x.length];
    const out = new Float32Array(channels.length * ny * nx);
    channels.forEach((c, i) => {
      const vn = this.lexicon[c];
      if (!vn) throw new NunatakError('NOT_FOUND', `${this.describe}: no channel '${c}'${didYouMean(c, this.channels)}`);
      const { data } = this.ds.read(vn, { start: [k, 0, 0], count: [1, ny, nx] }, 'float32');
      for (let p = 0; p < data.length; p++) {
        if (!Number.isFinite(data[p])) {
          throw new NunatakError('INPUT', `${this.describe}: variable '${vn}' (channel '${c}') has a missing or non-finite value at ${time.toISOString()}, pixel ${p}`, { hint: 'models need complete fields; fill or mask the data first' });
        }
      }
      out.set(data, i * ny * nx);
    });
    return out;
  }

  close(): void {
    this.ds.close();
  }
}

function gridLen(g: ModelGrid): string {
  return g.kind === 'latlon' ? `${g.lat.length}x${g.lon.length}` : `${g.y.length}x${g.x.length}`;
}
