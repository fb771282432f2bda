/**
 * A basin × day dataset in the layouts the model needs ([nt, nb] C order),
 * its normalisation, and window extraction into a Batch.
 */
import { tf } from '../../core/tensor/index.js';
import type { Batch } from '../model.js';
import type { CamelsData } from './camels.js';
import { computeStats, normalise, type StatsTable } from './normalize.js';

export const FORCING_NAMES = ['prcp', 'tmean', 'pet'] as const;

export interface HydroDataset {
  ids: string[];
  dates: string[];
  nt: number;
  nb: number;
  /** [nt, nb]: precipitation mm/d, mean temperature °C, PET mm/d, observed flow mm/d (NaN = missing) */
  P: Float32Array;
  T: Float32Array;
  PET: Float32Array;
  qobs: Float32Array;
  /** basin area km² [nb] */
  area: Float32Array;
  attrNames: string[];
  /** raw attributes [nb, na] */
  attr: Float32Array;
}

export function fromCamels(d: CamelsData, attrNames: string[]): HydroDataset {
  const nt = d.dates.length, nb = d.basins.length;
  const P = new Float32Array(nt * nb), T = new Float32Array(nt * nb), PET = new Float32Array(nt * nb), qobs = new Float32Array(nt * nb);
  d.basins.forEach((b, j) => {
    for (let t = 0; t < nt; t++) {
      P[t * nb + j] = b.prcp[t];
      T[t * nb + j] = b.tmean[t];
      PET[t * nb + j] = b.pet[t];
      qobs[t * nb + j] = b.qobs[t];
    }
  });
  const attr = new Float32Array(nb * attrNames.length);
  attrNames.forEach((n, k) => d.attributes[n].forEach((v, j) => (attr[j * attrNames.length + k] = v)));
  return { ids: d.basins.map((b) => b.id), dates: d.dates, nt, nb, P, T, PET, qobs, area: Float32Array.from(d.basins, (b) => b.areaM2 / 1e6), attrNames, attr };
}

/** Statistics of forcings, attributes and streamflow over the dataset (training period). */
export function datasetStats(ds: HydroDataset, logNorm: string[] = ['prcp']): StatsTable {
  const s: StatsTable = {
    prcp: computeStats(ds.P, logNorm.includes('prcp')),
    tmean: computeStats(ds.T, logNorm.includes('tmean')),
    pet: computeStats(ds.PET, logNorm.includes('pet')),
    streamflow: computeStats(ds.qobs, true),
  };
  const na = ds.attrNames.length;
  ds.attrNames.forEach((n, k) => (s[n] = computeStats(Array.from({ length: ds.nb }, (_, j) => ds.attr[j * na + k]))));
  return s;
}

export interface NormInputs {
  /** [nt, nb, 3] */
  x: Float32Array;
  /** [nb, na] */
  c: Float32Array;
}

export function normaliseInputs(ds: HydroDataset, stats: StatsTable, logNorm: string[] = ['prcp']): NormInputs {
  const n = ds.nt * ds.nb;
  const x = new Float32Array(n * 3);
  const src = [ds.P, ds.T, ds.PET];
  FORCING_NAMES.forEach((name, k) => {
    for (let i = 0; i < n; i++) x[i * 3 + k] = normalise(src[k][i], stats[name], logNorm.includes(name));
  });
  const na = ds.attrNames.length;
  const c = new Float32Array(ds.nb * na);
  for (let j = 0; j < ds.nb; j++) ds.attrNames.forEach((name, k) => (c[j * na + k] = normalise(ds.attr[j * na + k], stats[name])));
  return { x, c };
}

/** Days [t0, t0+len) of the basins `idx` (t0 per sample or shared) as a Batch plus the observed flow [len, nb]. */
export function makeBatch(ds: HydroDataset, ni: NormInputs, idx: number[], t0s: number | number[], len: number): { batch: Batch; qobs: Float32Array } {
  const nb = idx.length, NB = ds.nb, na = ni.c.length / ds.nb;
  const P = new Float32Array(len * nb), T = new Float32Array(len * nb), PET = new Float32Array(len * nb), q = new Float32Array(len * nb);
  const x = new Float32Array(len * nb * 3);
  for (let t = 0; t < len; t++) {
    for (let j = 0; j < nb; j++) {
      const s = ((typeof t0s === 'number' ? t0s : t0s[j]) + t) * NB + idx[j], d = t * nb + j;
      P[d] = ds.P[s];
      T[d] = ds.T[s];
      PET[d] = ds.PET[s];
      q[d] = ds.qobs[s];
      x[d * 3] = ni.x[s * 3];
      x[d * 3 + 1] = ni.x[s * 3 + 1];
      x[d * 3 + 2] = ni.x[s * 3 + 2];
    }
  }
  const c = new Float32Array(nb * na);
  idx.forEach((b, j) => c.set(ni.c.subarray(b * na, (b + 1) * na), j * na));
  const area = Float32Array.from(idx, (b) => ds.area[b]);
  return {
    batch: { x: tf.tensor3d(x, [len, nb, 3]), c: tf.tensor2d(c, [nb, na]), forcing: { nt: len, nb, P, T, PET, area } },
    qobs: q,
  };
}
