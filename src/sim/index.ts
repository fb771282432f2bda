/** Public API of the sim face: run experiments, the module contract, the state. */
export { runSimulation, type RunOptions, type RunSummary, type ProgressInfo } from './engine.js';
export { runExperiment, runMember, planMultirun, restartOverrides, type SimRunRequest, type MemberTask } from './run.js';
export { runMultirun, type MemberResult, type MultirunOptions } from './multirun.js';
export { locateExperiment, simCatalog, type ExperimentLocation } from './experiment.js';
export { SimState, FIELD_INFO } from './state.js';
export {
  params, fieldsOf, LIFECYCLE, MODULE_KINDS,
  type SimConfig, type FieldDecl, type FieldsOf, type InputModule, type ProcessModule, type OutputModule, type SimModule, type ModuleKind,
} from './contract.js';
export { checkLifecycle, loadModule, loadModules, type LoadedModule } from './loader.js';
export { checkDependencies } from './dependencies.js';
export { BUILTINS, builtinDefaultsFile } from './modules/registry.js';
export {
  defaultBPSettings, bpProblem, bpEnergyLoss, bpDerived, bpLevels, bpLayerFractions, bpDepthWeights,
  setBPThreads, bpThreads, type BPSettings, type BPGeometry, type BPProblem, type BPProblemOptions, type BPDerived,
} from './physics/bp/index.js';
export { solveBP, type BPSolveOptions, type BPSolveResult } from './physics/bp/bp-solve.js';
export { checkSimModules, userModules, moduleOfFile } from './check.js';
export { smbTi, TI_DEFAULTS, RHO_ICE, DAYS_PER_MONTH, tiScale, type TiParams, type ClimateBlock } from './physics/smb-ti.js';
export { smbTiWasm } from './physics/smb-ti-wasm.js';
export { readMonthlyClimate, balanceYears, climateOf, type MonthlyClimate, type ClimateSource } from './climate/monthly-climate.js';
export { calibrateTI, glacierWideBalance, balanceComponents, fitStats, type TiCalibration, type TiCalibrationInput, type FitStats } from './climate/calibrate-ti.js';
export { readWgmsAnnual, readWgmsProfiles, type WgmsProfiles } from './climate/wgms.js';
export { maskCentroidLonLat } from './climate/location.js';
export { runMbExperiment, MB_EXPERIMENT_DEFAULTS, type MbExperimentOptions, type MbExperimentResult } from './climate/mb-experiment.js';
export { invertThickness, type InversionResult, type InvertOptions } from './invert/invert.js';
export { INVERSION_DEFAULTS, type InversionOptions, type InvControl, type InvCost } from './invert/options.js';
export { type InversionData, type CostParts } from './invert/objective.js';
export { siaObserve, siaObserveAdjoint, type InvGrid, type InvFlow } from './invert/sia-kernel.js';
export { twinSteadyState, gaussianNoise, withNoise, type TwinForward, type TwinTruth } from './invert/twin.js';
export { writeInversion, costsCsv } from './invert/write.js';
export { readObservations } from './invert/read.js';
