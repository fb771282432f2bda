/**
 * Ensemble output as CF NetCDF4, written as the rollout goes. Dimensions
 * (time, ensemble, lead_time, lat, lon) — `time` (initial time) first because
 * the nunatak writer keeps `time` as the unlimited, first dimension; readers
 * (netCDF4, xarray) address dimensions by name. One variable per channel.
 * Each round's outputs are written and the file closed (flushed) before the
 * progress file `<out>.progress.json` is replaced, so a killed run resumes
 * from its last complete round.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { createNetcdf, encodeTime, formatCfDate, type CfDate } from '../io/netcdf/index.js';
import type { RolloutProgress, RolloutSink } from './rollout.js';
import type { ModelGrid } from './grid.js';
import type { Region } from './rollout-task.js';

type H5Module = typeof import('h5wasm');

async function h5(): Promise<H5Module> {
  const mod = (await import('h5wasm/node')) as unknown as H5Module & { default: H5Module };
  const m = mod.default ?? mod;
  await m.ready;
  return m;
}

export interface NetcdfSinkOptions {
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
  /** Continue an interrupted run (the file and its progress file must exist). */
  resume?: boolean;
  overwrite?: boolean;
}

interface Pending {
  t: number;
  m0: number;
  n: number;
  lead: number;
  data: Float32Array;
}

export class NetcdfSink implements RolloutSink {
  private pending: Pending[] = [];
  private constructor(
    private readonly o: NetcdfSinkOptions,
    private readonly mod: H5Module,
  ) {}

  get progressPath(): string {
    return `${this.o.path}.progress.json`;
  }

  /** Create the file (or reopen it to resume) and return the sink plus any saved progress. */
  static async open(o: NetcdfSinkOptions): Promise<{ sink: NetcdfSink; progress?: RolloutProgress }> {
    const sink = new NetcdfSink(o, await h5());
    const prog = sink.progressPath;
    if (o.resume) {
      if (!existsSync(o.path) || !existsSync(prog)) throw new NunatakError('NOT_FOUND', `${o.path}: nothing to resume (need the file and ${prog})`, { hint: 'run without --resume to start' });
      const saved = JSON.parse(readFileSync(prog, 'utf8')) as { config: string; progress: RolloutProgress };
      if (saved.config !== o.config) throw new NunatakError('CONFIG', `${o.path}: the run config differs from the one the file was started with; cannot resume`, { hint: 'use the same config, or start a new output' });
      return { sink, progress: saved.progress };
    }
    if (existsSync(o.path) && !o.overwrite) {
      throw new NunatakError('IO', `${o.path}: file exists`, { hint: existsSync(prog) ? 'pass --resume to continue it, or --overwrite' : 'pass --overwrite, or choose another output' });
    }
    mkdirSync(dirname(o.path), { recursive: true });
    await sink.create();
    return { sink };
  }

  private async create(): Promise<void> {
    const { o } = this;
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
    const w = await createNetcdf(o.path, {
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
    });
    // All initial times are known: size the record dimension now, so chunks can be written in any order.
    const n = o.startTimes.length;
    const hours = dates.map((d) => encodeTime(d, tunits, calendar));
    void w;
    const f = new this.mod.File(o.path, 'a');
    try {
      const td = f.get('time') as import('h5wasm').Dataset;
      td.resize([n]);
      td.write_slice([[0, n]], Float64Array.from(hours));
      for (const c of o.channels) {
        const ds = f.get(c) as import('h5wasm').Dataset;
        const shape = ds.shape!;
        ds.resize([n, ...shape.slice(1)]);
      }
    } finally {
      f.close();
    }
    this.saveProgressFile(undefined);
  }

  write(t: number, m0: number, n: number, lead: number, data: Float32Array): void {
    this.pending.push({ t, m0, n, lead, data });
  }

  private saveProgressFile(p: RolloutProgress | undefined): void {
    const tmp = `${this.progressPath}.tmp`;
    writeFileSync(tmp, JSON.stringify({ config: this.o.config, progress: p ?? null }));
    renameSync(tmp, this.progressPath);
  }

  saveProgress(p: RolloutProgress): void {
    const { o } = this;
    const ry = o.region.y1 - o.region.y0;
    const rx = o.region.x1 - o.region.x0;
    const npix = ry * rx;
    const nc = o.channels.length;
    const f = new this.mod.File(o.path, 'a');
    try {
      for (const { t, m0, n, lead, data } of this.pending) {
        o.channels.forEach((c, ci) => {
          const block = new Float32Array(n * npix);
          for (let b = 0; b < n; b++) block.set(data.subarray((b * nc + ci) * npix, (b * nc + ci + 1) * npix), b * npix);
          (f.get(c) as import('h5wasm').Dataset).write_slice([[t, t + 1], [m0, m0 + n], [lead, lead + 1], [0, ry], [0, rx]], block);
        });
      }
    } finally {
      f.close();
    }
    this.pending = [];
    this.saveProgressFile(p);
  }
}

function utcFields(t: Date): Omit<CfDate, 'calendar'> {
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds() + t.getUTCMilliseconds() / 1000 };
}
