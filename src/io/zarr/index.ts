/** Zarr stores (format 2 for xarray / zarr-python 2, or format 3) with the same CF metadata as the NetCDF writer. */
export { createZarr, isZarrStore, ZarrWriter, type ZarrWriterOptions } from './writer.js';
export type { ZarrFormat } from './metadata.js';
