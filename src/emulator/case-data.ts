/**
 * One training/test case (a DLE "glacier" subfolder) held in memory: fields of
 * shape (nt, ny, nx), C order, plus the grid spacing. Preparation adds slopes,
 * applies data_stepping and resample_data, and checks for missing fields and NaNs.
 */
import { NunatakError } from '../core/errors.js';
import { gradient2d } from './slopes.js';

export interface CaseData {
  /** Case (subfolder) name; used as the glacier id in predictions. */
  name: string;
  /** Where it was read from (for error messages). */
  source: string;
  nt: number;
  ny: number;
  nx: number;
  /** Grid spacing (m), x[1]-x[0] and y[1]-y[0]. */
  dx: number;
  dy: number;
  fields: Map<string, Float32Array>;
}

/** Add slopsurfx/slopsurfy computed from usurf (per frame). */
export function addSlopes(c: CaseData): void {
  const u = c.fields.get('usurf');
  if (!u) {
    throw new NunatakError('NOT_FOUND', `${c.source}: variable 'usurf' is missing, needed to compute slopsurfx/slopsurfy`, {
      hint: 'provide usurf (m) or the slopes themselves',
    });
  }
  if (!Number.isFinite(c.dx) || !Number.isFinite(c.dy)) {
    throw new NunatakError('INPUT', `${c.source}: cannot compute slopsurfx/slopsurfy without grid spacing`, {
      hint: 'npy cases need x.npy and y.npy (1-D, m) or slopsurfx.npy and slopsurfy.npy',
    });
  }
  const n = c.ny * c.nx;
  const sx = new Float32Array(c.nt * n);
  const sy = new Float32Array(c.nt * n);
  for (let t = 0; t < c.nt; t++) {
    const { gx, gy } = gradient2d(u.subarray(t * n, (t + 1) * n), c.ny, c.nx, c.dx, c.dy);
    sx.set(gx, t * n);
    sy.set(gy, t * n);
  }
  c.fields.set('slopsurfx', sx);
  c.fields.set('slopsurfy', sy);
}

/** Keep every `step`-th frame. */
export function stepFrames(c: CaseData, step: number): void {
  if (step <= 1) return;
  const n = c.ny * c.nx;
  const keep = Math.ceil(c.nt / step);
  for (const [k, v] of c.fields) {
    const out = new Float32Array(keep * n);
    for (let t = 0; t < keep; t++) out.set(v.subarray(t * step * n, (t * step + 1) * n), t * n);
    c.fields.set(k, out);
  }
  c.nt = keep;
}

/** Coarsen by k×k block means ignoring NaNs (DLE's resample_data > 1); trailing cells are dropped. */
export function coarsen(c: CaseData, k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new NunatakError('CONFIG', `resample_data = ${k}: only integer coarsening factors ≥ 1 are supported`, {
      hint: 'DLE refines with scipy interp2d for factors < 1; nunatak does not (resample the data beforehand)',
    });
  }
  if (k === 1) return;
  const ny = Math.floor(c.ny / k);
  const nx = Math.floor(c.nx / k);
  if (ny < 1 || nx < 1) throw new NunatakError('SHAPE', `${c.source}: grid ${c.ny}×${c.nx} is smaller than resample_data=${k}`);
  for (const [name, v] of c.fields) {
    const out = new Float32Array(c.nt * ny * nx);
    for (let t = 0; t < c.nt; t++)
      for (let J = 0; J < ny; J++)
        for (let I = 0; I < nx; I++) {
          let s = 0;
          let m = 0;
          for (let a = 0; a < k; a++)
            for (let b = 0; b < k; b++) {
              const x = v[t * c.ny * c.nx + (J * k + a) * c.nx + I * k + b];
              if (!Number.isNaN(x)) {
                s += x;
                m++;
              }
            }
          out[t * ny * nx + J * nx + I] = m ? s / m : NaN;
        }
    c.fields.set(name, out);
  }
  c.ny = ny;
  c.nx = nx;
  c.dx *= k;
  c.dy *= k;
}

/** Fail on a missing field or on any NaN/Inf in the fields that are used. */
export function checkCase(c: CaseData, names: string[]): void {
  const expected = c.nt * c.ny * c.nx;
  for (const name of names) {
    const v = c.fields.get(name);
    if (!v) {
      throw new NunatakError('NOT_FOUND', `${c.source}: field '${name}' is missing (have: ${[...c.fields.keys()].sort().join(', ')})`, {
        hint: 'every input and output channel of the maptype must be in each case',
      });
    }
    if (v.length !== expected) {
      throw new NunatakError('SHAPE', `${c.source}: field '${name}' has ${v.length} values, expected nt×ny×nx = ${c.nt}×${c.ny}×${c.nx}`);
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        const t = Math.floor(i / (c.ny * c.nx));
        const r = i % (c.ny * c.nx);
        throw new NunatakError('NUMERIC', `${c.source}: field '${name}' has ${v[i]} at frame ${t}, row ${Math.floor(r / c.nx)}, col ${r % c.nx}`, {
          hint: 'training data must be finite (fill or mask NaNs first)',
        });
      }
    }
  }
}

/** Slopes (when asked for), stepping, resampling and checks, in DLE's order. */
export function prepareCase(c: CaseData, needed: string[], opts: { dataStepping: number; resample: number }): CaseData {
  stepFrames(c, opts.dataStepping);
  coarsen(c, opts.resample);
  if (needed.some((n) => n === 'slopsurfx' || n === 'slopsurfy') && !(c.fields.has('slopsurfx') && c.fields.has('slopsurfy'))) addSlopes(c);
  checkCase(c, needed);
  return c;
}
