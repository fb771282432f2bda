/**
 * Export an emulator as a Keras 2.x `model.h5` in the layout IGM 1.x and DLE
 * read with `tf.keras.models.load_model` (what `model.save('model.h5')` writes
 * with Keras 2.4 and h5py, as IGM's f15_cfsflow_GJ_22_a/100/model.h5):
 *
 *   /                 attrs backend, keras_version (vlen UTF-8), model_config,
 *                     training_config (vlen ASCII JSON)
 *   /model_weights    attrs backend, keras_version (vlen ASCII), layer_names
 *                     (fixed-length ASCII array, every layer in model order)
 *   /model_weights/<layer>             attr weight_names: fixed-length ASCII
 *                                      array, or an empty float64 array (0,)
 *   /model_weights/<layer>/<layer>/kernel:0, bias:0   float32, contiguous
 *
 * No `optimizer_weights` group (as Keras' `include_optimizer=False`): nunatak
 * does not keep Adam's moments with a trained emulator; Keras then loads the
 * model compiled, with a fresh optimizer.
 */
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';
import { h5IoError, loadH5 } from '../io/netcdf/index.js';
import { KERAS_VERSION, kerasModelConfig, kerasTrainingConfig, type KerasTraining } from './keras-config.js';
import { pyJson } from './py-json.js';
import { setH5StringPadding } from './h5-string-pad.js';

export interface KerasExportOptions {
  /** Written as `training_config` (Keras then compiles the model on load); omitted when unknown. */
  training?: KerasTraining;
  /** DLE `regularization` (L2 factor), written as the hidden convolutions' kernel regulariser. */
  l2?: number;
}

/** Keras weight names of a layer: `<layer>/kernel:0`, `<layer>/bias:0`. */
function weightNames(layer: tf.layers.Layer): string[] {
  return layer.weights.map((w) => `${layer.name}/${w.originalName.split('/').pop()}:0`);
}

const fixedLength = (names: string[]): string => `A${Math.max(1, ...names.map((n) => Buffer.byteLength(n)))}`;

function checkAscii(names: string[], what: string): void {
  const bad = names.find((n) => !/^[\x20-\x7e]+$/.test(n));
  if (bad !== undefined) throw new NunatakError('INPUT', `${what} '${bad}' is not printable ASCII; Keras HDF5 names must be`, { hint: 'rename the layer' });
}

/**
 * A Sequential model as the equivalent functional graph (its layers, weights
 * shared, applied to a new input): DLE and IGM save functional models, and
 * nunatak's importer reads those.
 */
function asFunctional(model: tf.LayersModel): tf.LayersModel {
  if (!(model instanceof tf.Sequential)) return model;
  const input = tf.input({ shape: model.inputs[0].shape.slice(1), name: 'input_1' }) as tf.SymbolicTensor;
  let x = input;
  for (const layer of model.layers) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: model.name });
}

/** Write `model` to `file` as a Keras 2.x HDF5 model. */
export async function exportKerasH5(sourceModel: tf.LayersModel, file: string, opts: KerasExportOptions = {}): Promise<void> {
  const model = asFunctional(sourceModel);
  const config = pyJson(kerasModelConfig(model, { l2: opts.l2 }));
  const layerNames = model.layers.map((l) => l.name);
  checkAscii(layerNames, 'layer name');
  const h5 = await loadH5();
  // libver 'earliest' gives the version-1 object headers h5py writes by default
  // (and that setH5StringPadding patches; they carry no checksums).
  let f: InstanceType<typeof h5.File>;
  try {
    f = new h5.File(file, 'w', { libver: ['earliest', 'v110'] });
  } catch (e) {
    throw h5IoError(file, 'creating the Keras model file', e);
  }
  try {
    f.create_attribute('backend', 'tensorflow', null, 'S');
    f.create_attribute('keras_version', KERAS_VERSION, null, 'S');
    f.create_attribute('model_config', config, null, 'A');
    if (opts.training) f.create_attribute('training_config', pyJson(kerasTrainingConfig(opts.training)), null, 'A');
    f.create_group('model_weights');
    const mw = f.get('model_weights') as InstanceType<typeof h5.Group>;
    mw.create_attribute('backend', 'tensorflow', null, 'A');
    mw.create_attribute('keras_version', KERAS_VERSION, null, 'A');
    mw.create_attribute('layer_names', layerNames, [layerNames.length], fixedLength(layerNames));
    for (const layer of model.layers) {
      mw.create_group(layer.name);
      const g = mw.get(layer.name) as InstanceType<typeof h5.Group>;
      const names = weightNames(layer);
      if (names.length === 0) {
        // Keras writes np.asarray([]) for a layer without weights.
        g.create_attribute('weight_names', new Float64Array(0), [0], '<d');
        continue;
      }
      g.create_attribute('weight_names', names, [names.length], fixedLength(names));
      g.create_group(layer.name);
      const inner = g.get(layer.name) as InstanceType<typeof h5.Group>;
      layer.weights.forEach((w, k) => {
        const data = w.read().dataSync() as Float32Array;
        inner.create_dataset({ name: names[k].split('/').pop()!, data: Float32Array.from(data), shape: w.shape as number[], dtype: '<f' });
      });
    }
  } catch (e) {
    throw h5IoError(file, 'writing the Keras model file', e);
  } finally {
    f.close();
  }
  // h5wasm writes UTF-8 strings space-padded and fixed-length strings
  // null-terminated; h5py (hence Keras) writes null-terminated and null-padded.
  setH5StringPadding(file, ['backend', 'keras_version', 'layer_names', 'weight_names']);
}
