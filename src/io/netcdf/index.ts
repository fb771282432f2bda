/** NetCDF3 / NetCDF4 / HDF5 reading, NetCDF4 writing, CF decoding. */
export { openDataset, Dataset, sniffFormat, type OpenOptions } from './dataset.js';
export type { Attrs, AttrValue, DimInfo, DType, Hyperslab, NcFormat, RawArray, VarInfo } from './types.js';
export { cfDecode, decodedPrecision, type DecodedArray } from './cf-decode.js';
export { decodeTimes, encodeTime, parseTimeUnits, parseCalendar, toJsDate, formatCfDate, type CfDate, type Calendar } from './cf-time.js';
export { findXY, gridOf, crsOf, crsFromAttrs, axisOf, type HorizontalCoords } from './coords.js';
export { createNetcdf, resumeNetcdf, NetcdfWriter, type WriterOptions, type VarSpec, type DimSpec, type WriteDType } from './writer.js';
export type { WriteAttr } from './h5-attrs.js';
export { readField, type ReadFieldOptions } from './field-io.js';
export { loadH5, type H5Module } from './h5.js';
export { h5IoError } from './h5-error.js';
