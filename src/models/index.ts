/**
 * Public API of the models face (`nunatak/models`): model packages
 * (metadata.json), the step-model and time-loop contracts an entrypoint
 * implements, grids, data sources and sinks, rollouts, perturbations and scores.
 */
export { Inference, type StepContext, type StepModel, type InferenceOptions } from './inference.js';
export type { RestartToken, LoopItem, TimeLoop } from './time-loop.js';
export { loadTimeLoop, type TimeLoopFactory, type StepModelFactory, type LoadOptions } from './load.js';
export { metadataSchema, packageFile, validateMetadata, readPackage, type RawMetadata, type ModelPackage } from './package.js';
export { resolvePackageDir, findPackage, listPackageNames, listPackages, type RegistryOptions, type RegistryEntry } from './registry.js';
export { gridShape, equiangular, GRID_PRESETS, axisRange, assertSameGrid, type LatLonGrid, type XYGrid, type ModelGrid } from './grid.js';
export { size, expectShape, type NdArray } from './array.js';
export { parseDuration, addDuration, durationHours, isZero, type Duration } from './duration.js';
export { preflight, historyTimes, initialState, ArraySource, type LoopInfo, type DataSource } from './datasource.js';
export { NetcdfSource, type NetcdfSourceOptions } from './netcdf-source.js';
export { NetcdfSink, type NetcdfSinkOptions } from './netcdf-sink.js';
export { ZarrSink, type ZarrSinkOptions } from './zarr-sink.js';
export { onnxStepModel } from './onnx-step.js';
export { runRollout, preflightRollout, outputSteps, type RolloutPlan, type RolloutSink, type RolloutProgress } from './rollout.js';
export { runModels, type RunResult } from './run.js';
export { loadRunConfig, runConfigSchema, type RunConfig } from './run-config.js';
export * from './perturb/index.js';
export { climatologyFromYears, scoreForecast, writeScores, type ForecastScores, type Climatology } from './score.js';
export { fairCrps } from './scoring/crps.js';
export { assertFinite } from './finite.js';
