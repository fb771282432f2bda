/**
 * Ensemble output as a zarr store (format 2 by default, which
 * `xarray.open_zarr` reads; or 3), written as the rollout goes, with the same
 * layout and CF metadata as the NetCDF output (`forecastDescription`). One
 * chunk per (initial time, member, lead time) holds a whole field, so every
 * batch writes whole chunks. Each round's chunks are written before the
 * progress file `<out>.progress.json` is replaced, so a killed run resumes
 * from its last complete round; chunks not yet written read as NaN.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createZarr, ZarrWriter, type ZarrFormat } from '../io/zarr/index.js';
import type { RolloutProgress } from './rollout.js';
import { RoundSink, type PendingOutput } from './round-sink.js';
import { channelBlock, forecastDescription, type ForecastOptions } from './forecast-layout.js';
import { SinkProgress } from './sink-progress.js';

export interface ZarrSinkOptions extends ForecastOptions {
  /** Zarr format (default 2: read by xarray with zarr-python 2). */
  zarrFormat?: ZarrFormat;
}

export class ZarrSink extends RoundSink {
  private constructor(
    private readonly o: ZarrSinkOptions,
    private readonly w: ZarrWriter,
  ) {
    super(o.path, o.config);
  }

  /** Create the store (or reopen it to resume) and return the sink plus any saved progress. */
  static async open(o: ZarrSinkOptions): Promise<{ sink: ZarrSink; progress?: RolloutProgress }> {
    const progress = new SinkProgress(o.path, o.config).check(o);
    if (o.resume) return { sink: new ZarrSink(o, ZarrWriter.open(o.path)), progress };
    mkdirSync(dirname(o.path), { recursive: true });
    const { writer, times } = forecastDescription(o);
    const [ny, nx] = [o.region.y1 - o.region.y0, o.region.x1 - o.region.x0];
    const chunks = Object.fromEntries(o.channels.map((c) => [c, [1, 1, 1, ny, nx]]));
    const sink = new ZarrSink(o, await createZarr(o.path, { ...writer, times, chunks, zarrFormat: o.zarrFormat }));
    sink.progress.save(undefined);
    return { sink };
  }

  protected async flush(pending: PendingOutput[]): Promise<void> {
    const { o } = this;
    const ry = o.region.y1 - o.region.y0;
    const rx = o.region.x1 - o.region.x0;
    for (const { t, m0, n, lead, data } of pending) {
      for (let ci = 0; ci < o.channels.length; ci++) {
        await this.w.writeBlock(o.channels[ci], [t, m0, lead, 0, 0], [1, n, 1, ry, rx], channelBlock(data, n, o.channels.length, ci, ry * rx));
      }
    }
  }
}
