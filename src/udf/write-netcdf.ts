/**
 * Write the results of a UDF run as one NetCDF4 file (CF-1.8) with
 * `src/io/netcdf`'s writer, laid out by `resultsDescription`; a leading
 * `time` axis becomes the file's unlimited CF time axis.
 */
import { createNetcdf } from '../io/netcdf/index.js';
import type { Dataset } from './dataset/dataset.js';
import { resultsDescription, type WriteResultsOptions } from './results-layout.js';
import type { UDFResults } from './results.js';
import { prod } from './shape.js';

/** Write `results` of a run over `ds` to `path` (NetCDF4). */
export async function writeResultsNetcdf(path: string, results: UDFResults, ds: Dataset, o: WriteResultsOptions): Promise<void> {
  const { writer, timeAxis, keys, dimsOf } = resultsDescription(path, results, ds, o);
  const w = await createNetcdf(path, writer);
  const record = (k: string) => timeAxis !== undefined && dimsOf.get(k)![0] === 'time';
  for (const k of keys) if (!record(k)) w.write(k, results.get(k).data);
  const recKeys = keys.filter(record);
  if (timeAxis) {
    const per = new Map(recKeys.map((k) => [k, prod(results.get(k).shape.slice(1))]));
    for (let t = 0; t < timeAxis.size; t++) {
      const rec: Record<string, ArrayLike<number>> = {};
      for (const k of recKeys) rec[k] = results.get(k).data.subarray(t * per.get(k)!, (t + 1) * per.get(k)!);
      w.append(timeAxis.values![t], rec);
    }
  }
}
