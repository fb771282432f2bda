/**
 * Public API of the emulator face (`nunatak/emulator`): train a CNN / U-Net
 * mapping 2-D fields to 2-D fields, save / load it, run it through TF.js or
 * ONNX Runtime, import and export Keras 2.x model.h5 files.
 */
export { runEmulator, type RunResult } from './run.js';
export { parseEmulatorOptions, readOptionsYaml, mergeOptionSources, emulatorOptionsSchema, OPTION_NAMES, type EmulatorOptions, type EmulatorOptionsInput } from './options.js';
export { Emulator, tfjsForward, stackInputs, type EmulatorMeta, type Forward } from './emulator.js';
export { fit, type FitOptions, type FitResult, type HistoryRow } from './fit.js';
export { buildNetwork, buildCnn, buildUnet, checkGrid, type NetworkSpec } from './networks.js';
export { resolveMapping, readFieldDat, writeFieldDat, MAPTYPE_PRESETS, type Channel, type Mapping } from './mapping.js';
export { saveEmulator, loadEmulator, loadEmulatorModel, loadEmulatorTfjs, type EmulatorRuntime } from './store.js';
export { exportOnnx } from './onnx-export.js';
export { onnxForward } from './onnx-forward.js';
export { importKerasH5, SUPPORTED_KERAS_LAYERS, type ImportedKeras } from './keras-h5.js';
export { exportKerasH5, type KerasExportOptions } from './keras-export.js';
export { exportKerasFolder } from './keras-folder.js';
export { EXPORTABLE_KERAS_LAYERS, KERAS_VERSION, type KerasTraining } from './keras-config.js';
