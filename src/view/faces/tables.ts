/**
 * Small text outputs the faces show (timings.csv, summary.csv, streamflow.csv,
 * train-history.csv, predict-scores.txt, metrics.json) as JSON for the page.
 * Only these kinds are read, and only up to MAX_TEXT bytes.
 */
import { readFileSync, statSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';
import type { TableBody } from '../face-protocol.js';

/** Largest text file served as a table (bytes): a 30-year daily streamflow.csv of 100 basins is ~20 MB. */
export const MAX_TEXT = 64 * 1024 * 1024;

function readText(real: string, where: string): string {
  const size = statSync(real).size;
  if (size > MAX_TEXT) throw new NunatakError('INPUT', `${where}: ${size} bytes is larger than the ${MAX_TEXT}-byte limit for tables`);
  return readFileSync(real, 'utf8');
}

/** A comma-separated (or, without commas in the header, whitespace-separated) table with a header row. */
export function readTable(real: string, where: string): TableBody {
  if (!/\.(csv|txt)$/i.test(real)) throw new NunatakError('INPUT', `${where}: tables are .csv or .txt files`);
  const lines = readText(real, where).split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new NunatakError('INPUT', `${where}: empty table (no header row)`);
  const split = lines[0].includes(',') ? (l: string) => l.split(',') : (l: string) => l.trim().split(/\s+/);
  const columns = split(lines[0]).map((c) => c.trim());
  const values: TableBody['values'] = columns.map(() => []);
  lines.slice(1).forEach((line, r) => {
    const cells = split(line);
    if (cells.length !== columns.length) throw new NunatakError('INPUT', `${where} line ${r + 2}: ${cells.length} columns, the header has ${columns.length}`);
    cells.forEach((c, k) => {
      const t = c.trim();
      const x = Number(t);
      values[k].push(t === '' || /^nan$/i.test(t) ? null : Number.isFinite(x) ? x : t);
    });
  });
  return { columns, values };
}

/** A .json file, parsed (so a broken one is a clear error, not a page crash). */
export function readJsonFile(real: string, where: string): unknown {
  if (!/\.json$/i.test(real)) throw new NunatakError('INPUT', `${where}: not a .json file`);
  try {
    return JSON.parse(readText(real, where));
  } catch (e) {
    if (e instanceof NunatakError) throw e;
    throw new NunatakError('IO', `${where}: not valid JSON (${(e as Error).message})`);
  }
}
