/**
 * HadCM3 A1B air temperature (240 years × 37 lat × 49 lon, NetCDF4) through
 * UDFs, nav = year, sig = lat × lon, in one pass per question:
 *  - per-year area-weighted (cos lat) regional mean over a lat/lon box, as a
 *    mask UDF (ApplyMasksUDF with normalised weights);
 *  - per-cell mean and std of two 30-year periods (StdDevUDF with a ROI over
 *    years) → the warming map 2070–2099 minus 1860–1889.
 *
 * npx tsx examples/udf-hadcm3/analyse.ts [file.nc] [threads|inline]
 */
import h5wasm from 'h5wasm/node';
import { Context } from '../../src/udf/context.js';
import { Hdf5Dataset } from '../../src/udf/dataset/hdf5.js';
import { ApplyMasksUDF, denseMasks } from '../../src/udf/builtins/masks.js';
import { StdDevUDF } from '../../src/udf/builtins/stddev.js';
import type { ExecutorKind } from '../../src/exec/create.js';

export interface Box {
  lat: [number, number];
  lon: [number, number];
}

/** Latitudes and longitudes (degrees) of the file. */
export async function coords(path: string): Promise<{ lat: Float32Array; lon: Float32Array }> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'r');
  try {
    const get = (n: string) => (f.get(n) as unknown as { value: Float32Array }).value;
    return { lat: Float32Array.from(get('latitude')), lon: Float32Array.from(get('longitude')) };
  } finally {
    f.close();
  }
}

/** cos(lat) weights inside the box, normalised to sum 1 (so mask · frame = area mean). */
export function regionWeights(lat: Float32Array, lon: Float32Array, box: Box): Float32Array {
  const w = new Float32Array(lat.length * lon.length);
  let s = 0;
  for (let j = 0; j < lat.length; j++) {
    for (let i = 0; i < lon.length; i++) {
      if (lat[j] >= box.lat[0] && lat[j] <= box.lat[1] && lon[i] >= box.lon[0] && lon[i] <= box.lon[1]) {
        w[j * lon.length + i] = Math.cos((lat[j] * Math.PI) / 180);
        s += w[j * lon.length + i];
      }
    }
  }
  for (let k = 0; k < w.length; k++) w[k] /= s;
  return w;
}

export async function analyse(path: string, box: Box, kind: ExecutorKind = 'threads') {
  const ds = await Hdf5Dataset.open({ path, variable: 'air_temperature' });
  const { lat, lon } = await coords(path);
  const ctx = await Context.make({ kind, workers: 2 });
  try {
    const regional = await ctx.runUdf(ds, new ApplyMasksUDF({ masks: denseMasks([regionWeights(lat, lon, box)]) }));
    const years = ds.navSize;
    const period = (a: number, b: number) => Uint8Array.from({ length: years }, (_, k) => (k >= a && k < b ? 1 : 0));
    const early = await ctx.runUdf(ds, new StdDevUDF(), { roi: period(0, 30) });
    const late = await ctx.runUdf(ds, new StdDevUDF(), { roi: period(years - 30, years) });
    const warming = late.get('mean').data.map((v, k) => v - early.get('mean').data[k]);
    return {
      regionalMean: Float64Array.from(regional.get('intensity').data),
      earlyMean: early.get('mean').data as Float64Array,
      earlyStd: early.get('std').data as Float64Array,
      warming: Float64Array.from(warming),
      shape: [lat.length, lon.length],
    };
  } finally {
    await ctx.close();
    ds.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path = 'data/udf/A1B_north_america.nc', kind = 'threads'] = process.argv.slice(2);
  const box: Box = { lat: [40, 50], lon: [250, 270] };
  const r = await analyse(path, box, kind as ExecutorKind);
  const m = r.regionalMean;
  const mean = (a: ArrayLike<number>, s: number, e: number) => Array.from(a).slice(s, e).reduce((x, y) => x + y, 0) / (e - s);
  console.log(`regional mean (lat ${box.lat}, lon ${box.lon}): 1860–1889 ${mean(m, 0, 30).toFixed(2)} K, 2070–2099 ${mean(m, 210, 240).toFixed(2)} K`);
  const w = r.warming;
  console.log(`warming map 2070–2099 − 1860–1889: min ${Math.min(...w).toFixed(2)} K, max ${Math.max(...w).toFixed(2)} K, mean ${mean(w, 0, w.length).toFixed(2)} K`);
}
