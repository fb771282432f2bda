/**
 * Accuracy and cost of an emulated rerun against the SIA run of the same
 * scenario: per save, velocity and thickness differences over ice and the
 * volumes (from the two output.nc files), the per-save emulator-vs-SIA rows
 * of the diagnostic run, and the per-step ice-flow cost from timings.csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../../src/core/errors.js';
import { openDataset } from '../../src/io/netcdf/index.js';

/** One run's saved fields (C order, time × y × x) and cell area (m²). */
export interface RunFields {
  file: string;
  time: number[];
  ny: number;
  nx: number;
  cellArea: number;
  thk: Float32Array;
  ubar: Float32Array;
  vbar: Float32Array;
}

export async function readRun(dir: string): Promise<RunFields> {
  const file = join(dir, 'output.nc');
  const ds = await openDataset(file);
  try {
    for (const v of ['time', 'x', 'y', 'thk', 'ubar', 'vbar']) if (!ds.has(v)) throw new NunatakError('NOT_FOUND', `${file}: variable '${v}' is missing`, { hint: 'write_ncdf.vars_to_save must include thk, ubar, vbar' });
    const x = ds.read('x', undefined, 'float64').data;
    const y = ds.read('y', undefined, 'float64').data;
    const get = (n: string) => Float32Array.from(ds.read(n, undefined, 'float32').data as ArrayLike<number>);
    return {
      file, time: Array.from(ds.read('time', undefined, 'float64').data as ArrayLike<number>), ny: y.length, nx: x.length,
      cellArea: Math.abs((x[1] - x[0]) * (y[1] - y[0])), thk: get('thk'), ubar: get('ubar'), vbar: get('vbar'),
    };
  } finally {
    ds.close();
  }
}

/** Errors of run `b` against reference `a` at one save. */
export interface SaveErrors {
  t: number;
  /** Cells with thk > 0 in either run. */
  iceCells: number;
  /** e = |(Δubar, Δvbar)| over those cells (m a⁻¹): mean, root mean square, max. */
  velL1: number;
  velL2: number;
  velMax: number;
  /** Mean speed of the reference over those cells (m a⁻¹), for relative errors. */
  refSpeed: number;
  /** |Δthk| over those cells (m): mean, RMS, max. */
  thkL1: number;
  thkL2: number;
  thkMax: number;
  /** Ice volumes (km³) and (b − a) / a. */
  volA: number;
  volB: number;
  volRel: number;
  /** Pearson correlation of the speeds over the reference's ice cells. */
  speedCorr: number;
}

/** Per-save errors of `b` against `a` (same grid and save times). */
export function compareRuns(a: RunFields, b: RunFields): SaveErrors[] {
  if (a.ny !== b.ny || a.nx !== b.nx || a.time.length !== b.time.length) {
    throw new NunatakError('SHAPE', `${b.file} (${b.time.length}×${b.ny}×${b.nx}) does not match ${a.file} (${a.time.length}×${a.ny}×${a.nx})`);
  }
  const n = a.ny * a.nx;
  return a.time.map((t, s) => {
    let cells = 0, v1 = 0, v2 = 0, vmax = 0, h1 = 0, h2 = 0, hmax = 0, ref = 0, volA = 0, volB = 0;
    const sa: number[] = [];
    const sb: number[] = [];
    for (let k = s * n; k < (s + 1) * n; k++) {
      volA += a.thk[k];
      volB += b.thk[k];
      if (!(a.thk[k] > 0 || b.thk[k] > 0)) continue;
      cells++;
      const e = Math.hypot(a.ubar[k] - b.ubar[k], a.vbar[k] - b.vbar[k]);
      v1 += e;
      v2 += e * e;
      vmax = Math.max(vmax, e);
      const d = Math.abs(a.thk[k] - b.thk[k]);
      h1 += d;
      h2 += d * d;
      hmax = Math.max(hmax, d);
      ref += Math.hypot(a.ubar[k], a.vbar[k]);
      if (a.thk[k] > 0) {
        sa.push(Math.hypot(a.ubar[k], a.vbar[k]));
        sb.push(Math.hypot(b.ubar[k], b.vbar[k]));
      }
    }
    const m = Math.max(cells, 1);
    const km3 = a.cellArea / 1e9;
    return {
      t, iceCells: cells, velL1: v1 / m, velL2: Math.sqrt(v2 / m), velMax: vmax, refSpeed: ref / m,
      thkL1: h1 / m, thkL2: Math.sqrt(h2 / m), thkMax: hmax, volA: volA * km3, volB: volB * km3,
      volRel: volA > 0 ? (volB - volA) / volA : 0, speedCorr: pearson(sa, sb),
    };
  });
}

/** Pearson correlation; NaN for fewer than 2 values or a constant series. */
export function pearson(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Rows of iceflow_diagnostic.csv as numbers keyed by column. */
export function readDiagnostic(dir: string): Array<Record<string, number>> {
  const lines = readFileSync(join(dir, 'iceflow_diagnostic.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], Number(v)])));
}

/** One module function's calls and mean ms per call from a run's timings.csv. */
export function readTiming(dir: string, key = 'processes/iceflow', fn = 'update'): { calls: number; totalMs: number; msPerCall: number } {
  const file = join(dir, 'timings.csv');
  const row = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(',')).find((r) => r[0] === key && r[1] === fn);
  if (!row) throw new NunatakError('NOT_FOUND', `${file}: no row ${key},${fn}`);
  return { calls: Number(row[2]), totalMs: Number(row[3]), msPerCall: Number(row[4]) };
}
