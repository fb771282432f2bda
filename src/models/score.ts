/**
 * `nunatak models score`: forecasts written by `models run` against
 * verification data and a climatology → one scores NetCDF per forecast and
 * one PNG per score vs lead time (all forecasts on one chart).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { prepareOutDir } from '../core/out-path.js';
import { NunatakError } from '../core/errors.js';
import { openDataset, createNetcdf } from '../io/netcdf/index.js';
import { renderChart } from '../io/plot/index.js';
import { addDuration, parseDuration } from './duration.js';
import { gridShape, type ModelGrid } from './grid.js';
import { preflight, type DataSource } from './datasource.js';
import { ScoreAccumulator, rowWeights, SCORE_NAMES, type ScoreName, type Scores } from './scoring/index.js';
import { labelDate } from './label-date.js';

export interface ForecastScores {
  label: string;
  file: string;
  /** Lead time of each row, hours. */
  leadHours: number[];
  scores: Scores;
  /** Units of each channel, from the forecast file ('' when it has none). */
  units: Record<string, string>;
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
    const units = Object.fromEntries(channels.map((c) => [c, String(ds.variable(c).attrs.units ?? '')]));
    return { label: label ?? model, file, leadHours, scores: acc.finalise(channels), units };
  } finally {
    ds.close();
  }
}

/** What each score is, for the file's long_name; `ens`: the forecast is an ensemble. */
function scoreMeaning(n: ScoreName, c: string, ens: boolean): string {
  const of = ens ? `the ensemble mean of ${c}` : c;
  switch (n) {
    case 'rmse': return `RMSE of ${of} (area-weighted, root of the mean over initial times)`;
    case 'acc_uncentred': return `uncentred anomaly correlation of ${of} (earth2mip form)`;
    case 'acc_centred': return `centred anomaly correlation of ${of} (WMO/ECMWF form)`;
    case 'rmse_climatology': return `RMSE of the climatology as a forecast of ${c}`;
    case 'crps_fair': return `fair CRPS of ${c} (unbiased for the members' parent distribution; earth2mip kcrps fair=True)`;
    case 'crps_standard': return `standard CRPS of ${c} (CRPS of the members' empirical CDF; xskillscore crps_ensemble)`;
    case 'ensemble_mean_rmse': return `RMSE of the ensemble mean of ${c}`;
    case 'spread': return `ensemble spread of ${c} (root of the mean unbiased member variance)`;
    case 'spread_skill': return `spread-skill ratio of ${c}, sqrt((m+1)/m) * spread / ensemble-mean RMSE (1 = consistent)`;
  }
}

/** Dimensionless scores; the others carry the channel's units. */
const DIMENSIONLESS = new Set<ScoreName>(['acc_uncentred', 'acc_centred', 'spread_skill']);

/**
 * File labels, one per forecast: the given label, made unique by the forecast
 * file's name when two forecasts share it (two runs of one model must not
 * write the same scores file).
 */
function uniqueLabels(results: ForecastScores[]): string[] {
  const count = new Map<string, number>();
  for (const r of results) count.set(r.label, (count.get(r.label) ?? 0) + 1);
  const labels = results.map((r) => (count.get(r.label)! > 1 ? `${r.label}-${basename(r.file).replace(/\.nc$/, '')}` : r.label));
  const seen = new Set<string>();
  labels.forEach((l, i) => {
    if (seen.has(l)) throw new NunatakError('CONFIG', `scoring: forecasts ${results.map((r) => r.file).join(', ')} would write the same scores file '${l}.scores.nc'`, { hint: 'give each forecast its own name with --labels a,b,…' });
    seen.add(l);
    results[i].label = l;
  });
  return labels;
}

/** An existing scores file may be replaced only when it scored the same forecast file. */
async function checkReplace(path: string, forecast: string): Promise<void> {
  if (!existsSync(path)) return;
  let was: unknown;
  try {
    const old = await openDataset(path);
    was = old.attrs.forecast;
    old.close();
  } catch {
    was = undefined;
  }
  if (typeof was !== 'string' || resolve(was) !== resolve(forecast)) {
    throw new NunatakError('IO', `${path} exists and holds the scores of ${typeof was === 'string' ? was : 'another file'}, not of ${forecast}; not overwriting it`, { hint: 'choose another --out folder, or name this forecast with --labels' });
  }
}

/** Write `<dir>/<label>.scores.nc` per forecast and `<dir>/<score>.png` per score. */
export async function writeScores(dir: string, results: ForecastScores[], leadUnit: { name: string; hours: number }): Promise<string[]> {
  prepareOutDir(dir, { what: 'score output folder' });
  const written: string[] = [];
  const labels = uniqueLabels(results);
  for (const [ri, r] of results.entries()) {
    const s = r.scores;
    const path = join(dir, `${labels[ri]}.scores.nc`);
    await checkReplace(path, r.file);
    const names = SCORE_NAMES.filter((n) => s[n] !== undefined);
    const ens = s.members !== undefined;
    const m = s.members ?? 0;
    const rankVars = ens ? s.channels.map((c) => ({ name: `rank_histogram_${c}`, dims: ['lead_time', 'rank'], dtype: 'int32' as const, units: '1', longName: `rank histogram of ${c}: number of grid points (all initial times) where the verification falls in each of the m + 1 ranks among the members (ties split at the middle)`, fillValue: null })) : [];
    const w = await createNetcdf(path, {
      dims: [{ name: 'lead_time', size: r.leadHours.length, values: r.leadHours, attrs: { units: 'hours', long_name: 'lead time' } }, ...(ens ? [{ name: 'rank', size: m + 1, values: Array.from({ length: m + 1 }, (_, k) => k), attrs: { units: '1', long_name: 'rank of the verification among the ensemble members (0 = below all)' } }] : [])],
      variables: [
        ...s.channels.flatMap((c) => [...names.map((n) => ({ name: `${n}_${c}`, dims: ['lead_time'], dtype: 'float64' as const, units: DIMENSIONLESS.has(n) ? '1' : r.units[c] || undefined, longName: scoreMeaning(n, c, ens) })), { name: `n_${c}`, dims: ['lead_time'], dtype: 'int32' as const, units: '1', longName: `number of initial times scored for ${c}`, fillValue: null }]),
        ...rankVars,
      ],
      attrs: {
        Conventions: 'CF-1.10',
        forecast: r.file,
        ...(ens ? { ensemble_members: m, ensemble_scores: 'rmse and acc_* score the ensemble mean; crps_fair / crps_standard, spread, spread_skill and rank_histogram score the members' } : {}),
        acc_uncentred: "earth2mip form: mean(xy)/sqrt(mean(xx)·mean(yy)), anomalies vs climatology, cos-lat weighted",
        acc_centred: 'per-sample centred ACC (WMO/ECMWF), averaged over initial times',
      },
      overwrite: true,
    });
    for (const c of s.channels) {
      const ci = s.channels.indexOf(c);
      for (const n of names) w.write(`${n}_${c}`, s[n]!.map((row) => row[ci]));
      w.write(`n_${c}`, s.n.map((row) => row[ci]));
      if (ens) w.write(`rank_histogram_${c}`, s.rank_histogram!.flatMap((row) => row[ci]));
    }
    written.push(path);
  }
  const channels = results[0].scores.channels;
  for (const n of SCORE_NAMES) {
    if (!results.some((r) => r.scores[n] !== undefined)) continue;
    const series = results.flatMap((r) =>
      r.scores[n] === undefined ? [] : channels.map((c, ci) => ({ name: channels.length > 1 ? `${r.label} ${c}` : r.label, x: r.leadHours.map((h) => h / leadUnit.hours), y: r.scores[n]!.map((row) => row[ci]), markers: true })),
    );
    const png = renderChart({ title: `${n.replace(/_/g, ' ')} vs lead time`, xLabel: 'lead time', xUnits: leadUnit.name, yLabel: n.replace(/_/g, ' '), yUnits: DIMENSIONLESS.has(n) ? '1' : 'channel units', series }).png;
    const p = join(dir, `${n}.png`);
    writeFileSync(p, png);
    written.push(p);
  }
  return written;
}
