/**
 * Climatology as a full TimeLoop (the `entrypoint` kind of package): lead 0 is
 * the initial state, every later step is the mean of `variable` in `file` over
 * `years` (inclusive). Its restart token needs only the step and time.
 */
import { resolve } from 'node:path';
import { NunatakError } from '../../../src/core/errors.js';
import { addDuration } from '../../../src/models/duration.js';
import { NetcdfSource } from '../../../src/models/netcdf-source.js';
import { climatologyFromYears } from '../../../src/models/score.js';
import { assertSameGrid, gridShape } from '../../../src/models/grid.js';
import type { ModelPackage } from '../../../src/models/package.js';
import type { LoopItem, RestartToken, TimeLoop } from '../../../src/models/time-loop.js';
import type { NdArray } from '../../../src/models/array.js';

interface Kwargs {
  file: string;
  variable: string;
  years: [number, number];
}

export async function load(pkg: ModelPackage, kwargs: Record<string, unknown>): Promise<TimeLoop> {
  const k = kwargs as unknown as Kwargs;
  if (typeof k.file !== 'string' || typeof k.variable !== 'string' || !Array.isArray(k.years)) {
    throw new NunatakError('CONFIG', `${pkg.dir}/metadata.json: entrypoint.kwargs needs file, variable and years [first, last]`);
  }
  const src = await NetcdfSource.open(resolve(pkg.dir, k.file), { lexicon: { [pkg.inChannels[0]]: k.variable } });
  assertSameGrid(pkg.grid, src.grid, src.describe);
  const clim = Float32Array.from((await climatologyFromYears(src, src.channels, k.years[0], k.years[1]))[pkg.inChannels[0]]);
  src.close();
  const [ny, nx] = gridShape(pkg.grid);
  return {
    inChannels: pkg.inChannels,
    outChannels: pkg.outChannels,
    grid: pkg.grid,
    nHistoryLevels: pkg.nHistoryLevels,
    historyTimeStep: pkg.historyTimeStep,
    timeStep: pkg.timeStep,
    async *loop(time0: Date | null, x: NdArray | null, restart?: RestartToken): AsyncIterable<LoopItem> {
      let step = restart ? restart.step : 0;
      let time = restart ? new Date(restart.time) : time0!;
      const B = restart ? (restart.batch as number) : x!.shape[0];
      const token = (): RestartToken => ({ kind: 'climatology', step, time: time.toISOString(), batch: B });
      if (!restart) {
        const T = x!.shape[1];
        const y = new Float32Array(B * ny * nx);
        for (let b = 0; b < B; b++) y.set(x!.data.subarray((b * T + T - 1) * ny * nx, (b * T + T) * ny * nx), b * ny * nx);
        yield { step, time, y: { data: y, shape: [B, 1, ny, nx] }, restart: token() };
      }
      for (;;) {
        step += 1;
        time = addDuration(time, pkg.timeStep);
        const y = new Float32Array(B * ny * nx);
        for (let b = 0; b < B; b++) y.set(clim, b * ny * nx);
        yield { step, time, y: { data: y, shape: [B, 1, ny, nx] }, restart: token() };
      }
    },
  };
}
