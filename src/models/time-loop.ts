/**
 * The time-loop contract (earth2mip's TimeLoop, as an async iterator).
 *
 * `loop(time0, x, restart?)` takes x[B, T_hist, C_in, Y, X] in physical units,
 * history oldest-first (x[:, T−1] is the state at time0, x[:, T−1−i] at
 * time0 − i·historyTimeStep), and yields forever:
 *   step 0: {time: time0, y: x[:, T−1] (out channels), restart}
 *   step k: {time: time0 + k·timeStep, y[B, C_out, Y, X], restart}
 * The consumer stops it (break). `restart` is JSON-serialisable; passing the
 * token of step k back (`loop(null, null, token)`) yields step k+1, k+2, …
 * exactly as the uninterrupted loop would.
 */
import type { Duration } from './duration.js';
import type { ModelGrid } from './grid.js';
import type { NdArray } from './array.js';

/** A JSON-serialisable restart token; `kind` says which loop made it. */
export interface RestartToken {
  kind: string;
  /** Step index the token was taken at. */
  step: number;
  /** Valid time of that step (ISO 8601). */
  time: string;
  [key: string]: unknown;
}

export interface LoopItem {
  /** Step index from the initial time (0 = initial state). */
  step: number;
  /** Valid time (UTC). */
  time: Date;
  /** [B, C_out, Y, X] in physical units. */
  y: NdArray;
  restart: RestartToken;
}

export interface TimeLoop {
  inChannels: string[];
  outChannels: string[];
  grid: ModelGrid;
  /** Number of time levels read (n_history + 1). */
  nHistoryLevels: number;
  historyTimeStep: Duration;
  timeStep: Duration;
  /** Start from (time0, x) or resume from a restart token. */
  loop(time0: Date | null, x: NdArray | null, restart?: RestartToken): AsyncIterable<LoopItem>;
  /** Release sessions and workers (optional). */
  close?(): Promise<void>;
}
