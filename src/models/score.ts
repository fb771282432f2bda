/**
 * `nunatak models score`: forecasts written by `models run` against
 * verification data and a climatology → one scores NetCDF per forecast and
 * one PNG per score vs lead time (all forecasts on one chart).
 */
import { writeFileSync } from 'node:fs';
import { prepareOutDir } from '../core/out-path.js';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { openDataset, createNetcdf } from '../io/netcdf/index.js';
import { renderChart } from '../io/plot/index.js';
import { addDuration, parseDuration } from './duration.js';
import { gridShape, type ModelGrid } from './grid.js';
import { preflight, type DataSource } from './datasource.js';
import { ScoreAccumulator, rowWeights, SCORE_NAMES, type Scores } from './scoring/index.js';
import { labelDate } from './label-date.js';

export interface ForecastScores {
  label: string;
  file: string;
  /** Lead time of each row, hours. */
  leadHours: number[];
  scores: Scores;
}

/** Climatology per channel on the full source grid [Y·X]. */
export type Climatology = Record<string, Float64Array>;

/** Mean of the source over the years [y0, y1] (inclusive), per channel. */
export async function climatologyFromYears(src: DataSource, channels: string[], y0: number, y1: number): Promise<Climatology> {
  const times = src.times.filter((t) => t.getUTCFullYear() >= y0 && t.getUTCFullYear() <= y1);
  if (times.length === 0) throw new NunatakError('NOT_FOUND', `${src.describe}: no times in the climatology years ${y0}–${y1}`);
  const [ny, nx] = gridShape(src.grid);
  const clim: Climatology = {};
  for (const c of channels) clim[c] = new Float64Array(ny * nx);
  for (const t of times) {
    const a = await src.read(t, channels);
    channels.forEach((c, ci) => {
      for (let p = 0; p < ny * nx; p++) clim[c][p] += a[ci * ny * nx + p] / times.length;
    });
  }
  return clim;
}

function sub(a: ArrayLike<number>, nx: number, y0: number, x0: number, ry: number, rx: number): Float64Array {
  const out = new Float64Array(ry * rx);
  for (let j = 0; j < ry; j++) for (let i = 0; i < rx; i++) out[j * rx + i] = a[(y0 + j) * nx + x0 + i];
  return out;
}

/** Score one forecast file. */
export async function scoreForecast(file: string, src: DataSource, clim: Climatology, label?: string): Promise<ForecastScores> {
  const ds = await openDataset(file);
  try {
    const cfgText = ds.attrs.nunatak_config;
    if (typeof cfgText !== 'string') throw new NunatakError('INPUT', `${file}: no nunatak_config attribute; score files written by 'nunatak models run'`);
    const cfg = JSON.parse(cfgText) as { time_step: string; output: { frequency: number; channels?: string[] }; region_y0: number; region_x0: number };
    const step = parseDuration(cfg.time_step, `${file}: time_step`);
    const every = cfg.output.frequency;
    const dims = new Set(ds.dims.map((d) => d.name));
    const channels = ds.vars.filter((v) => v.dims.length === 5 && !dims.has(v.name)).map((v) => v.name);
    const [ny, nx] = gridShape(src.grid);
    const v0 = ds.variable(channels[0]);
    const [nt, m, nl, ry, rx] = v0.shape;
    const inits = ds.readTimes('time').map((d) => labelDate(d!));
    const leadHours = Array.from(ds.read('lead_time').data as ArrayLike<number>);
    const y0 = cfg.region_y0, x0 = cfg.region_x0;
    const grid: ModelGrid = src.grid.kind === 'latlon' ? { kind: 'latlon', lat: src.grid.lat.subarray(y0, y0 + ry), lon: src.grid.lon.subarray(x0, x0 + rx) } : { ...src.grid, y: src.grid.y.subarray(y0, y0 + ry), x: src.grid.x.subarray(x0, x0 + rx) };
    const valid = (i: number, k: number) => addDuration(inits[i], step, k * every);
    const allValid = inits.flatMap((_, i) => Array.from({ length: nl }, (_, k) => valid(i, k)));
    preflight(src, channels, allValid, `scoring ${file} (verification)`);
    for (const c of channels) if (!clim[c]) throw new NunatakError('NOT_FOUND', `scoring ${file}: no climatology for channel '${c}'`);
    const acc = new ScoreAccumulator(rowWeights(grid), rx);
    for (let i = 0; i < nt; i++) {
      for (let k = 0; k < nl; k++) {
        const t = valid(i, k);
        const o = await src.read(t, channels);
        channels.forEach((c, ci) => {
          const { data } = ds.read(c, { start: [i, 0, k, 0, 0], count: [1, m, 1, ry, rx] }, 'float32');
          for (let p = 0; p < data.length; p++) {
            if (!Number.isFinite(data[p])) throw new NunatakError('INPUT', `${file}: '${c}' is missing at init ${inits[i].toISOString()}, lead index ${k} (an unfinished run? resume it first)`);
          }
          const ov = sub(o.subarray(ci * ny * nx, (ci + 1) * ny * nx), nx, y0, x0, ry, rx);
          const cv = sub(clim[c], nx, y0, x0, ry, rx);
          if (m > 1) acc.addEnsemble(inits[i].toISOString(), k, c, data, m, ov, cv);
          else acc.add(inits[i].toISOString(), k, c, data, ov, cv);
        });
      }
    }
    const model = typeof ds.attrs.model === 'string' ? ds.attrs.model : file;
    return { label: label ?? model, file, leadHours, scores: acc.finalise(channels) };
  } finally {
    ds.close();
  }
}

/** Write `<dir>/<label>.scores.nc` per forecast and `<dir>/<score>.png` per score. */
export async function writeScores(dir: string, results: ForecastScores[], leadUnit: { name: string; hours: number }): Promise<string[]> {
  prepareOutDir(dir, { what: 'score output folder' });
  const written: string[] = [];
  for (const r of results) {
    const s = r.scores;
    const path = join(dir, `${r.label}.scores.nc`);
    const names = SCORE_NAMES.filter((n) => s[n] !== undefined);
    const w = await createNetcdf(path, {
      dims: [{ name: 'lead_time', size: r.leadHours.length, values: r.leadHours, attrs: { units: 'hours', long_name: 'lead time' } }],
      variables: s.channels.flatMap((c) => [...names.map((n) => ({ name: `${n}_${c}`, dims: ['lead_time'], dtype: 'float64' as const, units: n.startsWith('acc') ? '1' : '', longName: `${n} of ${c}` })), { name: `n_${c}`, dims: ['lead_time'], dtype: 'int32' as const, longName: `number of initial times scored for ${c}`, fillValue: null }]),
      attrs: { Conventions: 'CF-1.10', forecast: r.file, acc_uncentred: "earth2mip form: mean(xy)/sqrt(mean(xx)·mean(yy)), anomalies vs climatology, cos-lat weighted", acc_centred: 'per-sample centred ACC (WMO/ECMWF), averaged over initial times' },
      overwrite: true,
    });
    for (const c of s.channels) {
      const ci = s.channels.indexOf(c);
      for (const n of names) w.write(`${n}_${c}`, s[n]!.map((row) => row[ci]));
      w.write(`n_${c}`, s.n.map((row) => row[ci]));
    }
    written.push(path);
  }
  const channels = results[0].scores.channels;
  for (const n of SCORE_NAMES) {
    if (!results.some((r) => r.scores[n] !== undefined)) continue;
    const series = results.flatMap((r) =>
      r.scores[n] === undefined ? [] : channels.map((c, ci) => ({ name: channels.length > 1 ? `${r.label} ${c}` : r.label, x: r.leadHours.map((h) => h / leadUnit.hours), y: r.scores[n]!.map((row) => row[ci]), markers: true })),
    );
    const png = renderChart({ title: `${n.replace(/_/g, ' ')} vs lead time`, xLabel: 'lead time', xUnits: leadUnit.name, yLabel: n.replace(/_/g, ' '), yUnits: n.startsWith('acc') ? '1' : 'channel units', series }).png;
    const p = join(dir, `${n}.png`);
    writeFileSync(p, png);
    written.push(p);
  }
  return written;
}
