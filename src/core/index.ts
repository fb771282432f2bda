/**
 * Public API of the shared core (`nunatak/core`): errors, logging, tensors
 * (TF.js), fields and grids, configuration, plug-in loading, ONNX Runtime,
 * random numbers and progress bars.
 */
export { NunatakError, isNunatakError, didYouMean, suggest, type ErrorCode } from './errors.js';
export { log, setLogMode, getLogMode, type LogMode } from './log.js';
export { TYPED_ARRAY_CTORS, type NumericDType } from './dtype.js';
export { mulberry32 } from './rng.js';
export { progress, type Progress, type ProgressOptions } from './progress.js';
export { Field, type FieldInit } from './field/field.js';
export { makeGrid, gridX, gridY, gridFromCoords, cellArea, type Grid } from './field/grid.js';
export * from './tensor/index.js';
export * from './config/index.js';
export * from './plugins/index.js';
export * from './onnx/index.js';
export { gemm, gemmInto, type GemmOptions } from './native/gemm.js';
