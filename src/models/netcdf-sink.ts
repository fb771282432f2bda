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
import { createNetcdf } from '../io/netcdf/index.js';
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
  /** Units per channel (optional). */
  units?: Record<string, string>;
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
    const t0 = o.startTimes[0].toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
    const yAttrs = g.kind === 'latlon' ? { units: 'degrees_north', standard_name: 'latitude', axis: 'Y' } : { units: 'm', standard_name: 'projection_y_coordinate', axis: 'Y' };
    const xAttrs = g.kind === 'latlon' ? { units: 'degrees_east', standard_name: 'longitude', axis: 'X' } : { units: 'm', standard_name: 'projection_x_coordinate', axis: 'X' };
    const w = await createNetcdf(o.path, {
      time: { units: `hours since ${t0}`, calendar: 'proleptic_gregorian', longName: 'initial time' },
      dims: [
        { name: 'ensemble', size: o.members, values: Array.from({ length: o.members }, (_, i) => i), attrs: { long_name: 'ensemble member (0 = control)' } },
        { name: 'lead_time', size: o.leadHours.length, values: o.leadHours, attrs: { units: 'hours', long_name: 'lead time', standard_name: 'forecast_period' } },
        { name: yn, size: y1 - y0, values: yv.subarray(y0, y1), attrs: yAttrs },
        { name: xn, size: x1 - x0, values: xv.subarray(x0, x1), attrs: xAttrs },
      ],
      variables: o.channels.map((c) => ({ name: c, dims: ['time', 'ensemble', 'lead_time', yn, xn], dtype: 'float32' as const, units: o.units?.[c] ?? '1', longName: c })),
      attrs: { Conventions: 'CF-1.10', model: o.model, source: 'nunatak models run' },
      config: o.config,
      history: 'nunatak models run',
      overwrite: o.overwrite,
    });
    // All initial times are known: size the record dimension now, so chunks can be written in any order.
    const n = o.startTimes.length;
    const hours = o.startTimes.map((t) => (t.getTime() - o.startTimes[0].getTime()) / 3.6e6);
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
