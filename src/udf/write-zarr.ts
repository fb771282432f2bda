/**
 * Write the results of a UDF run as one zarr store (format 2 by default, read
 * by `xarray.open_zarr`; or 3) with `src/io/zarr`'s writer, laid out by
 * `resultsDescription` — the same variables, axes and CF attributes as the
 * NetCDF results file.
 */
import { createZarr, type ZarrFormat } from '../io/zarr/index.js';
import type { Dataset } from './dataset/dataset.js';
import { resultsDescription, type WriteResultsOptions } from './results-layout.js';
import type { UDFResults } from './results.js';

/** Write `results` of a run over `ds` to the zarr store `path`. */
export async function writeResultsZarr(path: string, results: UDFResults, ds: Dataset, o: WriteResultsOptions & { zarrFormat?: ZarrFormat }): Promise<void> {
  const { writer, timeAxis, keys } = resultsDescription(path, results, ds, o);
  const w = await createZarr(path, { ...writer, times: timeAxis?.values, zarrFormat: o.zarrFormat });
  for (const k of keys) await w.write(k, results.get(k).data);
}
