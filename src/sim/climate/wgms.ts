/**
 * Readers of WGMS Fluctuations-of-Glaciers tables as OGGM ships them:
 * glacier-wide annual balance (`mbdata_WGMS-*.csv`: YEAR, …, ANNUAL_BALANCE
 * in mm w.e.) and balance by elevation band (`profile_WGMS-*.csv`: a header of
 * band elevations in m, one row per year, mm w.e., empty = not measured).
 */
import { existsSync, readFileSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';

function lines(file: string, what: string): string[][] {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `${what} ${file} does not exist`);
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.split(','));
}

/** Indices of the named columns (case-insensitive) in the header row; a missing one is an error naming it. */
function columns(rows: string[][], file: string, what: string, names: string[], hint: string): number[] {
  const head = rows[0].map((h) => h.trim().toLowerCase());
  return names.map((n) => {
    const i = head.indexOf(n.toLowerCase());
    if (i < 0) throw new NunatakError('INPUT', `${what} ${file}: header lacks ${n} (header: ${rows[0].join(',')})`, { hint });
    return i;
  });
}

/** Annual glacier-wide balance (mm w.e. a⁻¹) by year, from the YEAR and ANNUAL_BALANCE columns. */
export function readWgmsAnnual(file: string): Map<number, number> {
  const rows = lines(file, 'WGMS mass-balance table');
  const [iy, ib] = columns(rows, file, 'WGMS mass-balance table', ['YEAR', 'ANNUAL_BALANCE'], 'expected the WGMS FoG columns YEAR, ..., ANNUAL_BALANCE (mm w.e.)');
  const out = new Map<number, number>();
  rows.slice(1).forEach((r, k) => {
    const y = Number(r[iy]);
    const v = r[ib]?.trim();
    if (!Number.isInteger(y)) throw new NunatakError('INPUT', `WGMS mass-balance table ${file}, line ${k + 2}: YEAR '${r[iy]}' is not a year`);
    if (v !== undefined && v !== '' && Number.isFinite(Number(v))) out.set(y, Number(v));
  });
  return out;
}

/** WGMS balance profiles: band elevations (m) and, per year, balance per band (mm w.e.; NaN = not measured). */
export interface WgmsProfiles {
  z: number[];
  byYear: Map<number, number[]>;
}

export function readWgmsProfiles(file: string): WgmsProfiles {
  const rows = lines(file, 'WGMS profile table');
  const z = rows[0].slice(1).map(Number);
  if (z.length === 0 || z.some((v) => !Number.isFinite(v))) {
    throw new NunatakError('INPUT', `WGMS profile table ${file}: the header must list band elevations (m) after the first column`);
  }
  const byYear = new Map<number, number[]>();
  for (const r of rows.slice(1)) byYear.set(Number(r[0]), z.map((_, i) => (r[i + 1] === undefined || r[i + 1].trim() === '' ? NaN : Number(r[i + 1]))));
  return { z, byYear };
}

/** Cumulative length change (m) by year from a `year,dl` table (OGGM's hef_lengths.csv; WGMS front variations). */
export function readLengthChanges(file: string): Map<number, number> {
  const rows = lines(file, 'length-change table');
  const [iy, il] = columns(rows, file, 'length-change table', ['year', 'dl'], 'expected columns year,dl (cumulative length change in m)');
  const out = new Map<number, number>();
  rows.slice(1).forEach((r, k) => {
    const y = Number(r[iy]);
    const v = Number(r[il]);
    if (!Number.isInteger(y) || !Number.isFinite(v)) throw new NunatakError('INPUT', `length-change table ${file}, line ${k + 2}: '${r.join(',')}' is not year,dl`);
    out.set(y, v);
  });
  return out;
}
