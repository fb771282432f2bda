/**
 * Ensemble output as CF NetCDF4, written as the rollout goes; the layout is
 * `forecastDescription`'s (shared with the zarr output). Each round's outputs
 * are written and the file closed (flushed) before the progress file
 * `<out>.progress.json` is replaced, so a killed run resumes from its last
 * complete round.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createNetcdf } from '../io/netcdf/index.js';
import type { RolloutProgress } from './rollout.js';
import { RoundSink, type PendingOutput } from './round-sink.js';
import { channelBlock, forecastDescription, type ForecastOptions } from './forecast-layout.js';

type H5Module = typeof import('h5wasm');

async function h5(): Promise<H5Module> {
  const mod = (await import('h5wasm/node')) as unknown as H5Module & { default: H5Module };
  const m = mod.default ?? mod;
  await m.ready;
  return m;
}

export type NetcdfSinkOptions = ForecastOptions;

export class NetcdfSink extends RoundSink {
  private constructor(
    private readonly o: NetcdfSinkOptions,
    private readonly mod: H5Module,
  ) {
    super(o.path, o.config);
  }

  /** Create the file (or reopen it to resume) and return the sink plus any saved progress. */
  static async open(o: NetcdfSinkOptions): Promise<{ sink: NetcdfSink; progress?: RolloutProgress }> {
    const sink = new NetcdfSink(o, await h5());
    const progress = sink.progress.check(o);
    if (o.resume) return { sink, progress };
    mkdirSync(dirname(o.path), { recursive: true });
    await sink.create();
    return { sink };
  }

  private async create(): Promise<void> {
    const { o } = this;
    const { writer, times } = forecastDescription(o);
    await createNetcdf(o.path, writer);
    // All initial times are known: size the record dimension now, so chunks can be written in any order.
    const n = times.length;
    const f = new this.mod.File(o.path, 'a');
    try {
      const td = f.get('time') as import('h5wasm').Dataset;
      td.resize([n]);
      td.write_slice([[0, n]], times);
      for (const c of o.channels) {
        const ds = f.get(c) as import('h5wasm').Dataset;
        const shape = ds.shape!;
        ds.resize([n, ...shape.slice(1)]);
      }
    } finally {
      f.close();
    }
    this.progress.save(undefined);
  }

  protected flush(pending: PendingOutput[]): void {
    const { o } = this;
    const ry = o.region.y1 - o.region.y0;
    const rx = o.region.x1 - o.region.x0;
    const f = new this.mod.File(o.path, 'a');
    try {
      for (const { t, m0, n, lead, data } of pending) {
        o.channels.forEach((c, ci) => {
          const block = channelBlock(data, n, o.channels.length, ci, ry * rx);
          (f.get(c) as import('h5wasm').Dataset).write_slice([[t, t + 1], [m0, m0 + n], [lead, lead + 1], [0, ry], [0, rx]], block);
        });
      }
    } finally {
      f.close();
    }
  }
}
