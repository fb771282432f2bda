/**
 * Data sources: initial conditions and verification by channel name and time.
 * `preflight` checks every (channel, time) a run needs before any compute and
 * lists everything that is missing at once (earth2mip/earth2studio users'
 * most common failure is a channel a source lacks, found mid-run).
 */
import { NunatakError, didYouMean } from '../core/errors.js';
import { addDuration } from './duration.js';
import { assertSameGrid, gridShape, type ModelGrid } from './grid.js';
import type { NdArray } from './array.js';
import type { TimeLoop } from './time-loop.js';
import type { CfDate } from '../io/netcdf/index.js';

/** The static facts of a model a data source must serve (a TimeLoop or a ModelPackage). */
export type LoopInfo = Pick<TimeLoop, 'inChannels' | 'grid' | 'nHistoryLevels' | 'historyTimeStep'>;

export interface DataSource {
  /** For messages: the file or what the source is. */
  describe: string;
  grid: ModelGrid;
  /** Channel names this source serves (model vocabulary, after its lexicon). */
  channels: string[];
  /** Times available (UTC). */
  times: Date[];
  /** Fields [C, Y, X] (physical units) for `channels` at `time`. */
  read(time: Date, channels: string[]): Promise<Float32Array>;
  /** Units of each channel's data (UDUNITS), where the source says. */
  units?: Record<string, string>;
  /** CF calendar of the source's times (e.g. '360_day'), where it has one; outputs keep it. */
  calendar?: string;
  /** The calendar date of one of `times` (exact, also for 360_day dates a JavaScript Date cannot name). */
  cfDate?(time: Date): Omit<CfDate, 'calendar'> | undefined;
}

/** Throws NOT_FOUND listing every missing channel and time. */
export function preflight(src: DataSource, channels: string[], times: Date[], purpose: string): void {
  const missingC = channels.filter((c) => !src.channels.includes(c));
  const have = new Set(src.times.map((t) => t.getTime()));
  const missingT = [...new Set(times.map((t) => t.getTime()))].filter((t) => !have.has(t)).map((t) => new Date(t).toISOString());
  if (missingC.length === 0 && missingT.length === 0) return;
  const parts: string[] = [];
  if (missingC.length) parts.push(`channel${missingC.length > 1 ? 's' : ''} ${missingC.map((c) => `'${c}'${didYouMean(c, src.channels)}`).join(', ')}`);
  if (missingT.length) parts.push(`${missingT.length} time${missingT.length > 1 ? 's' : ''} (${missingT.slice(0, 5).join(', ')}${missingT.length > 5 ? ', …' : ''})`);
  const span = src.times.length ? `${src.times[0].toISOString()} … ${src.times[src.times.length - 1].toISOString()}` : 'none';
  throw new NunatakError('NOT_FOUND', `${src.describe}: ${purpose} needs ${parts.join(' and ')} that the source lacks; nothing was computed`, {
    hint: `the source has channels ${src.channels.join(', ') || '(none)'} and ${src.times.length} times ${span}; map names with the lexicon`,
  });
}

/** The times the model reads for an initial time t0, oldest first. */
export function historyTimes(loop: LoopInfo, t0: Date): Date[] {
  const T = loop.nHistoryLevels;
  return Array.from({ length: T }, (_, i) => addDuration(t0, loop.historyTimeStep, -(T - 1 - i)));
}

/** x [1, T, C, Y, X] for `loop` at t0, history oldest-first; the grid must match. */
export async function initialState(src: DataSource, loop: LoopInfo, t0: Date): Promise<NdArray> {
  assertSameGrid(loop.grid, src.grid, src.describe);
  const times = historyTimes(loop, t0);
  const [ny, nx] = gridShape(loop.grid);
  const level = loop.inChannels.length * ny * nx;
  const data = new Float32Array(times.length * level);
  for (let i = 0; i < times.length; i++) data.set(await src.read(times[i], loop.inChannels), i * level);
  return { data, shape: [1, times.length, loop.inChannels.length, ny, nx] };
}

/** An in-memory source: fields[channel] is [nt, Y, X] for `times`. */
export class ArraySource implements DataSource {
  constructor(
    readonly describe: string,
    readonly grid: ModelGrid,
    readonly times: Date[],
    private readonly fields: Record<string, Float32Array>,
  ) {
    const [ny, nx] = gridShape(grid);
    for (const [c, a] of Object.entries(fields)) {
      if (a.length !== times.length * ny * nx) throw new NunatakError('SHAPE', `${describe}: channel '${c}' has ${a.length} values, expected ${times.length}×${ny}×${nx}`);
    }
  }

  get channels(): string[] {
    return Object.keys(this.fields);
  }

  async read(time: Date, channels: string[]): Promise<Float32Array> {
    const k = this.times.findIndex((t) => t.getTime() === time.getTime());
    if (k < 0) throw new NunatakError('NOT_FOUND', `${this.describe}: no data at ${time.toISOString()}`);
    const [ny, nx] = gridShape(this.grid);
    const n = ny * nx;
    const out = new Float32Array(channels.length * n);
    channels.forEach((c, i) => {
      const a = this.fields[c];
      if (!a) throw new NunatakError('NOT_FOUND', `${this.describe}: no channel '${c}'${didYouMean(c, this.channels)}`);
      out.set(a.subarray(k * n, (k + 1) * n), i * n);
    });
    return out;
  }
}
