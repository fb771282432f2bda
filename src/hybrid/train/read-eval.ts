/**
 * Read back an evaluation directory written by `evaluate` (streamflow.csv and,
 * for test runs, metrics.json) so hydrographs can be re-plotted without
 * re-running the model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import type { BasinMetrics } from './metrics.js';
import type { EvalResult } from './trainer.js';

/** Parse `<dir>/streamflow.csv` (date,<id>_sim,<id>_obs,… in mm/d; empty obs = missing → NaN). */
export function readEvalResult(dir: string): EvalResult {
  const file = join(dir, 'streamflow.csv');
  if (!existsSync(file)) throw new NunatakError('IO', `${file} not found`, { hint: 'point at an evaluation directory written by evaluate()' });
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const nb = (head.length - 1) / 2;
  const badHeader = () => new NunatakError('IO', `${file}: header must be 'date,<id>_sim,<id>_obs,…', got '${lines[0]}'`);
  if (head[0] !== 'date' || !Number.isInteger(nb) || nb === 0) throw badHeader();
  const ids: string[] = [];
  for (let b = 0; b < nb; b++) {
    const id = head[1 + 2 * b].replace(/_sim$/, '');
    if (head[1 + 2 * b] !== `${id}_sim` || head[2 + 2 * b] !== `${id}_obs`) throw badHeader();
    ids.push(id);
  }
  const nt = lines.length - 1;
  const dates: string[] = [];
  const sim = new Float32Array(nt * nb);
  const obs = new Float32Array(nt * nb);
  for (let t = 0; t < nt; t++) {
    const cells = lines[t + 1].split(',');
    if (cells.length !== head.length) throw new NunatakError('IO', `${file} line ${t + 2}: ${cells.length} columns, expected ${head.length}`);
    dates.push(cells[0]);
    for (let b = 0; b < nb; b++) {
      const s = Number(cells[1 + 2 * b]);
      const o = cells[2 + 2 * b] === '' ? NaN : Number(cells[2 + 2 * b]);
      if (cells[1 + 2 * b] === '' || !Number.isFinite(s) || (cells[2 + 2 * b] !== '' && !Number.isFinite(o))) {
        throw new NunatakError('IO', `${file} line ${t + 2}: basin ${ids[b]} has a non-numeric flow ('${cells[1 + 2 * b]}', '${cells[2 + 2 * b]}')`);
      }
      sim[t * nb + b] = s;
      obs[t * nb + b] = o;
    }
  }
  const res: EvalResult = { dir, ids, dates, sim, obs };
  const mfile = join(dir, 'metrics.json');
  if (existsSync(mfile)) res.metrics = JSON.parse(readFileSync(mfile, 'utf8')) as Record<string, BasinMetrics>;
  return res;
}
