/**
 * Public API of data I/O (`nunatak/io`): NetCDF 3/4 and HDF5, .npy,
 * zarr stores, GeoTIFF, CRS / reprojection / outlines, maps and charts.
 */
export * from './netcdf/index.js';
export * from './npy/index.js';
export * from './zarr/index.js';
export * from './geo/index.js';
export * from './plot/index.js';
export { inspectFile, plotFile, fileKind, type InspectOptions, type PlotOptions } from './inspect/inspect-file.js';
