/**
 * Public API of the hybrid face (`nunatak/hybrid`): differentiable models that
 * couple a neural parameteriser to a process model (HBV or your own
 * `ProcessModel`), their data, losses, metrics, training and evaluation.
 */
export { DifferentiableModel, type ModelOptions, type Batch, type ModelOutput } from './model.js';
export type { Forcing, ProcessModel, ProcessModelOptions } from './process.js';
export type { NnOutput, Parameteriser, ParameteriserOptions } from './nn/types.js';
export { LstmParameteriser, type LstmOptions } from './nn/lstm.js';
export { MlpParameteriser, type MlpOptions } from './nn/mlp.js';
export { LstmMlpParameteriser } from './nn/lstm-mlp.js';
export { HbvModel } from './hbv/model.js';
export { HBV_VARIANTS, HBV_BOUNDS, ROUTING_BOUNDS, type HbvVariant } from './hbv/params.js';
export { hbvForward, hbvAdjoint } from './hbv/kernel.js';
export type { HydroModel } from './hydro-model.js';
export { LstmOnlyModel } from './lstm-only.js';
export { buildModel, processModelOf } from './build.js';
export { loadUserComponents, type UserComponents } from './user-components.js';
export { hybridCheckFiles, isHybridConfig } from './check.js';
export { DeltaHbvBmi } from './bmi.js';
export { mapParameters, type MapperSpec, type MappedParams } from './mapper.js';
export { gammaUhWeights, uhConv } from './routing.js';
export { LOSSES, rmse, rmseComb, nseStar, kgeLoss, lossFn, type LossName, type LossFunction, type LossContext } from './train/losses.js';
export { basinMetrics, aggregate, METRIC_NAMES, type BasinMetrics } from './train/metrics.js';
export { train, evaluate, type TrainResult, type EvalResult } from './train/trainer.js';
export { loadConfig, parseConfig, configSchema, isCodeRef, type HybridConfig } from './train/config.js';
export { loadCamels, dateRange, type CamelsData } from './data/camels.js';
export { fromCamels, makeBatch, normaliseInputs, datasetStats, FORCING_NAMES, type HydroDataset } from './data/dataset.js';
export { syntheticForcing } from './data/synthetic.js';
export { hargreavesPet } from './data/hargreaves.js';
