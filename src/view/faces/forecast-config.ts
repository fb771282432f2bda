/** What the view needs from a forecast's `nunatak_config` attribute, and where its verification data is served. */
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import { isInside, type Root } from '../path-guard.js';

export interface ForecastConfig {
  data: { file: string; lexicon?: Record<string, string> };
  /** ISO 8601 model time step, e.g. "PT6H". */
  time_step: string;
  output: { frequency: number };
  /** Row / column offset of the written region in the source grid. */
  region_y0: number;
  region_x0: number;
}

/** Parse the attribute written by `models run`; a broken one is an INPUT error naming the file. */
export function forecastConfig(text: unknown, where: string): ForecastConfig {
  let c: Partial<ForecastConfig> | undefined;
  try {
    c = typeof text === 'string' ? (JSON.parse(text) as Partial<ForecastConfig>) : undefined;
  } catch {
    c = undefined;
  }
  if (!c || typeof c.data?.file !== 'string' || typeof c.time_step !== 'string' || typeof c.output?.frequency !== 'number' || typeof c.region_y0 !== 'number' || typeof c.region_x0 !== 'number') {
    throw new NunatakError('INPUT', `${where}: the nunatak_config attribute is missing or lacks data.file, time_step, output.frequency or region_y0/x0`, { hint: "forecasts written by 'nunatak models run' carry it" });
  }
  return c as ForecastConfig;
}

/** File id of `path` when it is a served path or lies inside a served folder; undefined otherwise. */
export function servedId(roots: Root[], path: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  for (const [k, r] of roots.entries()) {
    if (r.real === real) return `${k}`;
    if (r.isDir && isInside(r.real, real)) return [k, ...relative(r.real, real).split(sep)].join('/');
  }
  return undefined;
}
