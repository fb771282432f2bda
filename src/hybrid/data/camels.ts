/**
 * CAMELS-US loader: Daymet basin-mean forcings, USGS streamflow (ft³/s →
 * mm/d with the basin area from the forcing header), static attributes, and
 * Hargreaves PET. Missing flow (−999, or days outside the flow file) → NaN.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError, didYouMean } from '../../core/errors.js';
import { dayOfYear, hargreavesPet } from './hargreaves.js';

/** ft³/s → m³/s. */
export const CFS_TO_CMS = 0.0283168;

/** One basin's daily series over the requested dates. */
export interface BasinSeries {
  id: string;
  /** latitude °N and area m² from the forcing file header */
  lat: number;
  areaM2: number;
  /** mm/d */
  prcp: Float32Array;
  /** °C */
  tmin: Float32Array;
  tmax: Float32Array;
  tmean: Float32Array;
  /** Hargreaves PET, mm/d */
  pet: Float32Array;
  /** observed streamflow, mm/d, NaN where missing */
  qobs: Float32Array;
}

export interface CamelsData {
  dates: string[];
  basins: BasinSeries[];
  /** attribute name → value per basin (same order as `basins`) */
  attributes: Record<string, number[]>;
}

const REQUIRED = ['Year', 'Mnth', 'Day', 'prcp(mm/day)', 'tmax(C)', 'tmin(C)'];

/**
 * 'YYYY-MM-DD' → ms since 1970 (UTC). Only real calendar days: Date.parse
 * would roll 2001-02-30 over to 2001-03-02 without a word.
 */
export function isoDayMs(date: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date));
  const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  if (!m || !Number.isFinite(t) || new Date(t).getUTCDate() !== +m[3] || new Date(t).getUTCMonth() !== +m[2] - 1) {
    throw new NunatakError('CONFIG', `${what} date '${date}' is not a calendar day (YYYY-MM-DD)`, { hint: 'e.g. 2001-02-28; months have 28–31 days' });
  }
  return t;
}

/** Every ISO date from start to end inclusive. */
export function dateRange(start: string, end: string): string[] {
  const out: string[] = [];
  let t = isoDayMs(start, 'start');
  const t1 = isoDayMs(end, 'end');
  if (t1 < t) throw new NunatakError('CONFIG', `bad date range ${start} … ${end}: end is before start`, { hint: 'use YYYY-MM-DD with start ≤ end' });
  for (; t <= t1; t += 86400000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const iso = (y: string, m: string, d: string) => `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;

/** Read one forcing file into date-indexed columns; checks columns, dates and precipitation sign. */
export function readDaymet(file: string, dates: string[]) {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `forcing file ${file} does not exist`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const lat = parseFloat(lines[0]);
  const areaM2 = parseFloat(lines[2]);
  if (!Number.isFinite(lat) || !Number.isFinite(areaM2) || areaM2 <= 0) {
    throw new NunatakError('IO', `${file}: header must hold latitude, elevation and area (m²) on lines 1–3`);
  }
  const header = lines[3].trim().split(/\s+/);
  for (const c of REQUIRED) {
    if (!header.includes(c)) {
      throw new NunatakError('INPUT', `${file}: forcing column '${c}' is missing${didYouMean(c, header)}`, { hint: `columns needed: ${REQUIRED.join(', ')}` });
    }
  }
  const col = (c: string) => header.indexOf(c);
  const iy = col('Year'), im = col('Mnth'), id = col('Day'), ip = col('prcp(mm/day)'), ix = col('tmax(C)'), inn = col('tmin(C)');
  const rows = new Map<string, string[]>();
  for (let i = 4; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < header.length) continue;
    rows.set(iso(f[iy], f[im], f[id]), f);
  }
  const n = dates.length;
  const prcp = new Float32Array(n), tmin = new Float32Array(n), tmax = new Float32Array(n);
  dates.forEach((d, k) => {
    const f = rows.get(d);
    if (!f) throw new NunatakError('INPUT', `${file}: no forcing for ${d}`, { hint: 'the forcing must cover every day of the requested period' });
    const p = parseFloat(f[ip]);
    if (!(p >= 0)) throw new NunatakError('INPUT', `${file}: precipitation on ${d} is ${f[ip]} (must be a number ≥ 0)`);
    prcp[k] = p;
    tmax[k] = parseFloat(f[ix]);
    tmin[k] = parseFloat(f[inn]);
    if (!Number.isFinite(tmax[k]) || !Number.isFinite(tmin[k])) throw new NunatakError('INPUT', `${file}: temperature on ${d} is not a number`);
  });
  return { lat, areaM2, prcp, tmin, tmax };
}

/** Observed flow in mm/d (NaN where missing) for the requested dates. */
export function readStreamflow(file: string, dates: string[], areaM2: number): Float32Array {
  const q = new Float32Array(dates.length).fill(NaN);
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `streamflow file ${file} does not exist`);
  const idx = new Map(dates.map((d, i) => [d, i]));
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const i = idx.get(iso(f[1], f[2], f[3]));
    const v = parseFloat(f[4]);
    if (i === undefined || !Number.isFinite(v) || v < 0) continue; // −999 = missing
    q[i] = (v * CFS_TO_CMS * 86400 * 1000) / areaM2;
  }
  return q;
}

/** Read `;`-separated CAMELS attribute files; returns name → value for each basin id. */
export function readAttributes(dir: string, ids: string[], names: string[]): Record<string, number[]> {
  const table = new Map<string, Map<string, string>>();
  const files = ['clim', 'geol', 'hydro', 'soil', 'topo', 'vege'].map((s) => join(dir, `camels_${s}.txt`));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim());
    const header = lines[0].split(';').map((s) => s.trim());
    for (const l of lines.slice(1)) {
      const f = l.split(';');
      const id = f[0].trim();
      if (!table.has(id)) table.set(id, new Map());
      header.forEach((h, j) => j > 0 && table.get(id)!.set(h, f[j]?.trim() ?? ''));
    }
  }
  const known = new Set<string>();
  for (const m of table.values()) for (const k of m.keys()) known.add(k);
  const out: Record<string, number[]> = {};
  for (const name of names) {
    if (!known.has(name)) throw new NunatakError('NOT_FOUND', `attribute '${name}' is not in ${dir}${didYouMean(name, known)}`);
    out[name] = ids.map((id) => {
      const row = table.get(id);
      if (!row) throw new NunatakError('NOT_FOUND', `basin ${id} has no attributes in ${dir}`);
      const v = parseFloat(row.get(name) ?? '');
      if (!Number.isFinite(v)) throw new NunatakError('INPUT', `attribute '${name}' of basin ${id} is '${row.get(name)}', not a number`, { hint: 'only numeric attributes can be NN inputs' });
      return v;
    });
  }
  return out;
}

/** Load basins `ids` over [start, end] from a CAMELS-US folder. */
export function loadCamels(dir: string, ids: string[], start: string, end: string, attributes: string[]): CamelsData {
  const listFile = join(dir, 'basins.txt');
  if (existsSync(listFile)) {
    const avail = readFileSync(listFile, 'utf8').split(/\s+/).filter(Boolean);
    for (const id of ids) {
      if (!avail.includes(id)) throw new NunatakError('NOT_FOUND', `unknown basin id '${id}' (not in ${listFile})${didYouMean(id, avail)}`, { hint: `available: ${avail.join(', ')}` });
    }
  }
  const dates = dateRange(start, end);
  const basins = ids.map((id) => {
    const f = readDaymet(join(dir, 'basin_mean_forcing', 'daymet', `${id}_lump_cida_forcing_leap.txt`), dates);
    const qobs = readStreamflow(join(dir, 'usgs_streamflow', `${id}_streamflow_qc.txt`), dates, f.areaM2);
    const tmean = f.tmin.map((v, i) => (v + f.tmax[i]) / 2);
    const pet = Float32Array.from(dates, (d, i) => hargreavesPet(f.tmin[i], f.tmax[i], f.lat, dayOfYear(d)));
    return { id, lat: f.lat, areaM2: f.areaM2, prcp: f.prcp, tmin: f.tmin, tmax: f.tmax, tmean, pet, qobs };
  });
  return { dates, basins, attributes: readAttributes(join(dir, 'camels_attributes_v2.0'), ids, attributes) };
}
