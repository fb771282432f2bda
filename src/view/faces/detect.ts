/**
 * Face detection: which nunatak face wrote a served folder, from its file
 * names (and, for forecasts, the NetCDF global attributes). Each found folder
 * becomes a view descriptor (see face-protocol.ts) naming files by id, so the
 * page reads them through the path guard like any other file.
 */
import { closeSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../../io/index.js';
import type { EmulatorFace, Face, ForecastRef, HybridFace, ModelsFace, SimFace } from '../face-protocol.js';
import { isInside, type Root } from '../path-guard.js';
import { forecastConfig, servedId } from './forecast-config.js';

/** Folders below a served folder that are looked at (hybrid and emulator runs nest their outputs). */
const MAX_DEPTH = 3;
/** NetCDF files opened per folder to look for forecasts (headers only). */
const MAX_NC = 30;
/** Map variables of a sim run, in the order offered. */
const SIM_MAPS = ['thk', 'velbar_mag', 'velsurf_mag', 'usurf', 'smb', 'topg'];
/** Series plots of output_ts.nc: each inner list shares one plot. */
const SIM_SERIES = [['vol'], ['area'], ['smb_volume', 'outflow_volume', 'clipped_volume']];

interface Folder {
  k: number;
  real: string;
  rel: string[];
  label: string;
  names: Set<string>;
}

const idOf = (f: Folder, name: string) => [f.k, ...f.rel, name].join('/');

async function ncHeader(path: string): Promise<{ attrs: Record<string, unknown>; vars: Array<{ name: string; dims: string[]; shape: number[] }> } | undefined> {
  try {
    const ds = await openDataset(path);
    try {
      return { attrs: ds.attrs, vars: ds.vars.map((v) => ({ name: v.name, dims: v.dims, shape: v.shape })) };
    } finally {
      ds.close();
    }
  } catch {
    return undefined; // not readable: the file list shows its error when opened
  }
}

async function simFace(f: Folder): Promise<SimFace | undefined> {
  if (!f.names.has('output.nc') || !f.names.has('output_ts.nc')) return undefined;
  const out = await ncHeader(join(f.real, 'output.nc'));
  const ts = await ncHeader(join(f.real, 'output_ts.nc'));
  if (!out || !ts) return undefined;
  const has3 = (n: string) => out.vars.some((v) => v.name === n && v.dims.length === 3 && v.dims[0] === 'time');
  const has = (n: string) => out.vars.some((v) => v.name === n && v.dims.length >= 2);
  if (!has3('thk')) return undefined; // every sim save writes thk (restarts need it)
  const tsVars = new Set(ts.vars.map((v) => v.name));
  return {
    kind: 'sim',
    label: f.label,
    output: idOf(f, 'output.nc'),
    ts: idOf(f, 'output_ts.nc'),
    maps: SIM_MAPS.filter(has3),
    bed: has('topg') ? 'topg' : undefined,
    mask: has('icemask') ? 'icemask' : undefined,
    series: SIM_SERIES.map((g) => g.filter((n) => tsVars.has(n))).filter((g) => g.length > 0),
    summary: f.names.has('summary.csv') ? idOf(f, 'summary.csv') : undefined,
    timings: f.names.has('timings.csv') ? idOf(f, 'timings.csv') : undefined,
  };
}

async function modelsFace(f: Folder, roots: Root[]): Promise<ModelsFace | undefined> {
  const nc = [...f.names].filter((n) => n.endsWith('.nc')).sort().slice(0, MAX_NC);
  const forecasts: ForecastRef[] = [];
  const scores: ModelsFace['scores'] = [];
  for (const name of nc) {
    const h = await ncHeader(join(f.real, name));
    if (!h) continue;
    if (name.endsWith('.scores.nc')) {
      const vars = h.vars.filter((v) => v.dims.length === 1 && v.dims[0] === 'lead_time' && v.name !== 'lead_time' && !v.name.startsWith('n_')).map((v) => v.name);
      const fc = typeof h.attrs.forecast === 'string' ? servedId(roots, h.attrs.forecast) : undefined;
      scores.push({ id: idOf(f, name), label: name.replace(/\.scores\.nc$/, ''), vars, forecast: fc });
      continue;
    }
    if (typeof h.attrs.nunatak_config !== 'string') continue;
    const dimNames = new Set(h.vars.filter((v) => v.dims.length === 1 && v.dims[0] === v.name).map((v) => v.name));
    const ch = h.vars.filter((v) => v.dims.length === 5 && !dimNames.has(v.name));
    if (ch.length === 0) continue;
    const ref: ForecastRef = { id: idOf(f, name), label: name, channels: ch.map((v) => v.name), members: ch[0].shape[1] };
    try {
      const cfg = forecastConfig(h.attrs.nunatak_config, name);
      const vid = servedId(roots, cfg.data.file);
      if (vid) ref.verification = vid;
      else ref.noVerification = `the verification data ${cfg.data.file} is not among the served paths (add it: nunatak view <this folder> ${cfg.data.file})`;
    } catch (e) {
      ref.noVerification = (e as Error).message;
    }
    forecasts.push(ref);
  }
  return forecasts.length || scores.length ? { kind: 'models', label: f.label, forecasts, scores } : undefined;
}

/** First line of a text file (read in one small block, not the whole file). */
function headLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0].trim();
  } finally {
    closeSync(fd);
  }
}

/** Evaluation folder of `nunatak hybrid test|simulate`: streamflow.csv with header date,<id>_sim,<id>_obs,… */
function hybridFace(f: Folder): HybridFace | undefined {
  if (!f.names.has('streamflow.csv')) return undefined;
  const head = headLine(join(f.real, 'streamflow.csv')).split(',');
  if (head[0] !== 'date') return undefined;
  const basins = head.filter((c) => c.endsWith('_sim')).map((c) => c.slice(0, -4));
  return { kind: 'hybrid', label: f.label, streamflow: idOf(f, 'streamflow.csv'), metrics: f.names.has('metrics.json') ? idOf(f, 'metrics.json') : undefined, basins };
}

/** Emulator run folder: train-history.csv; its prediction PNGs sit in one subfolder per test case. */
function emulatorFace(f: Folder): EmulatorFace | undefined {
  if (!f.names.has('train-history.csv')) return undefined;
  const images: EmulatorFace['images'] = [];
  for (const sub of [...f.names].sort()) {
    let real: string;
    try {
      real = realpathSync(join(f.real, sub));
      if (!isInside(f.real, real) || !statSync(real).isDirectory()) continue;
    } catch {
      continue;
    }
    // each frame's TRUE | PREDICTED map, then its difference map
    const key = (n: string) => n.replace(/-diff\.png$/, '.png~');
    const pngs = readdirSync(real).filter((n) => /^predict-.*\.png$/.test(n));
    for (const png of pngs.sort((a, b) => (key(a) < key(b) ? -1 : 1))) images.push({ id: [f.k, ...f.rel, sub, png].join('/'), label: `${sub}/${png}` });
  }
  return { kind: 'emulator', label: f.label, history: idOf(f, 'train-history.csv'), scores: f.names.has('predict-scores.txt') ? idOf(f, 'predict-scores.txt') : undefined, images };
}

function folders(roots: Root[]): Folder[] {
  const out: Folder[] = [];
  roots.forEach((root, k) => {
    if (!root.isDir) return;
    const walk = (real: string, rel: string[], depth: number) => {
      const names = readdirSync(real).filter((n) => !n.startsWith('.'));
      out.push({ k, real, rel, label: join(root.given, ...rel), names: new Set(names) });
      if (depth >= MAX_DEPTH) return;
      for (const n of names.sort()) {
        try {
          const r = realpathSync(join(real, n));
          if (isInside(root.real, r) && statSync(r).isDirectory()) walk(r, [...rel, n], depth + 1);
        } catch {
          // dangling link
        }
      }
    };
    walk(root.real, [], 0);
  });
  return out;
}

/** Every face folder among the served paths, in path order. */
export async function detectFaces(roots: Root[]): Promise<Face[]> {
  const faces: Face[] = [];
  for (const f of folders(roots)) {
    const sim = await simFace(f);
    if (sim) faces.push(sim);
    const models = sim ? undefined : await modelsFace(f, roots);
    if (models) faces.push(models);
    const hybrid = hybridFace(f);
    if (hybrid) faces.push(hybrid);
    const emu = emulatorFace(f);
    if (emu) faces.push(emu);
  }
  return mergeScores(faces);
}

/** A scores folder (`models score --out`) whose forecasts are shown by another models face joins that face. */
function mergeScores(faces: Face[]): Face[] {
  const models = faces.filter((f): f is ModelsFace => f.kind === 'models');
  return faces.filter((f) => {
    if (f.kind !== 'models' || f.forecasts.length > 0) return true;
    const host = models.find((o) => o !== f && o.forecasts.length > 0 && f.scores.every((s) => o.forecasts.some((fc) => fc.id === s.forecast)));
    if (!host) return true;
    host.scores.push(...f.scores);
    return false;
  });
}
