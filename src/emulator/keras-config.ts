/**
 * Keras 2.x `model_config` / `training_config` JSON for a TF.js layers model,
 * written as Keras 2.4 (`tf.keras`, TF 2.4) writes them in `model.save('model.h5')`
 * — the version of IGM 1.x's and DLE's emulators: a `Functional` graph whose
 * layers carry Keras 2.4's full config (field names and order as in IGM's
 * f15_cfsflow_GJ_22_a/100/model.h5) and `inbound_nodes` as
 * `[[layer, node_index, tensor_index, {}], …]`. The graph wiring (node
 * indices of shared layers such as DLE's single LeakyReLU) is TF.js's own
 * Keras-compatible serialisation; each layer's config is rebuilt here.
 */
import { NunatakError } from '../core/errors.js';
import type { tf } from '../core/tensor/index.js';

/** Layer classes the exporter writes (every layer nunatak's CNN and U-Net builders use). */
export const EXPORTABLE_KERAS_LAYERS = ['InputLayer', 'Conv2D', 'Conv2DTranspose', 'LeakyReLU', 'ReLU', 'Activation', 'Dropout', 'MaxPooling2D', 'Concatenate'];

/** Keras version whose HDF5 layout and layer configs are written. */
export const KERAS_VERSION = '2.4.0';

type Json = Record<string, unknown>;

interface TfjsLayerJson {
  class_name: string;
  name: string;
  config: Json;
  inbound_nodes: unknown[];
}

/** A TF.js initializer as Keras 2.4 names it (GlorotUniform / Zeros; others pass through TF.js's Keras-style form). */
function initializer(v: unknown): unknown {
  const o = v as { class_name?: string; config?: Json } | null;
  if (!o || typeof o !== 'object') return v;
  const c = o.config ?? {};
  if (o.class_name === 'VarianceScaling' && c.scale === 1 && c.mode === 'fan_avg' && c.distribution === 'uniform') {
    return { class_name: 'GlorotUniform', config: { seed: c.seed ?? null } };
  }
  if (o.class_name === 'Zeros') return { class_name: 'Zeros', config: {} };
  return o;
}

function base(name: string): Json {
  return { name, trainable: true, dtype: 'float32' };
}

function conv(L: TfjsLayerJson, transpose: boolean, l2: number | undefined, where: string): Json {
  const c = L.config;
  if (c.data_format !== 'channels_last') throw new NunatakError('INPUT', `${where}: only channels_last convolutions can be exported`);
  const out: Json = {
    ...base(L.name),
    filters: c.filters,
    kernel_size: c.kernel_size,
    strides: c.strides,
    padding: c.padding,
    data_format: 'channels_last',
    dilation_rate: c.dilation_rate ?? [1, 1],
    groups: 1,
    activation: c.activation,
    use_bias: c.use_bias,
    kernel_initializer: initializer(c.kernel_initializer),
    bias_initializer: initializer(c.bias_initializer),
    // DLE puts its L2 factor on the hidden convolutions' kernels (not on the head).
    kernel_regularizer: l2 === undefined ? null : { class_name: 'L2', config: { l2: Math.fround(l2) } },
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
  if (transpose) out.output_padding = null;
  return out;
}

function layerConfig(L: TfjsLayerJson, l2: number | undefined, where: string): Json {
  const c = L.config;
  switch (L.class_name) {
    case 'InputLayer':
      return { batch_input_shape: c.batch_input_shape, dtype: 'float32', sparse: false, ragged: false, name: L.name };
    case 'Conv2D':
      return conv(L, false, l2, where);
    case 'Conv2DTranspose':
      return conv(L, true, l2, where);
    case 'LeakyReLU':
      // Keras 2.4 would store alpha cast to float32 (0.01 → 0.009999999776482582)
      // and loads either as float32; the exact value keeps nunatak's
      // double-precision TF.js CPU kernel bit-exact on re-import.
      return { ...base(L.name), alpha: Number(c.alpha) };
    case 'ReLU':
      return { ...base(L.name), max_value: c.max_value ?? null, negative_slope: 0.0, threshold: 0.0 };
    case 'Activation':
      return { ...base(L.name), activation: c.activation };
    case 'Dropout':
      return { ...base(L.name), rate: c.rate, noise_shape: c.noise_shape ?? null, seed: c.seed ?? null };
    case 'MaxPooling2D':
      return { ...base(L.name), pool_size: c.pool_size, padding: c.padding, strides: c.strides, data_format: 'channels_last' };
    case 'Concatenate':
      return { ...base(L.name), axis: c.axis };
    default:
      throw new NunatakError('INPUT', `${where}: layer type '${L.class_name}' cannot be exported to Keras`, {
        hint: `exportable layer types: ${EXPORTABLE_KERAS_LAYERS.join(', ')}; export ONNX instead (nunatak emulator export-onnx)`,
      });
  }
}

/**
 * Keras 2.4 `model_config` of a TF.js functional model. `l2` (the DLE
 * `regularization` factor), when known, is written as the kernel regulariser
 * of every convolution except the output head.
 */
export function kerasModelConfig(model: tf.LayersModel, opts: { l2?: number } = {}): Json {
  const j = model.toJSON(null, false) as unknown as { class_name: string; config: { name: string; layers: TfjsLayerJson[]; input_layers: unknown; output_layers: Array<[string, number, number]> } };
  if (j.class_name !== 'Model' && j.class_name !== 'Functional') {
    throw new NunatakError('INPUT', `model '${model.name}' is a ${j.class_name}; only functional models can be exported to Keras`);
  }
  const heads = new Set(j.config.output_layers.map((o) => o[0]));
  const layers = j.config.layers.map((L) => {
    const where = `model '${model.name}': layer '${L.name}' (${L.class_name})`;
    const l2 = heads.has(L.name) ? undefined : opts.l2;
    return { class_name: L.class_name, config: layerConfig(L, l2, where), name: L.name, inbound_nodes: L.inbound_nodes };
  });
  return { class_name: 'Functional', config: { name: j.config.name, layers, input_layers: j.config.input_layers, output_layers: j.config.output_layers } };
}

/** How the model was trained, for Keras' `training_config` (DLE's compile call: Adam, loss, metrics mae and mse). */
export interface KerasTraining {
  loss: 'mae' | 'mse';
  /** Adam learning rate. */
  learningRate: number;
  /** Per-tensor gradient clip norm; 0 = none. */
  clipnorm: number;
}

const metric = (name: string, fn: string): Json => ({ class_name: 'MeanMetricWrapper', config: { name, dtype: 'float32', fn } });

/** Keras 2.4 `training_config` as DLE's `model.compile(Adam(lr, clipnorm), loss, metrics=['mae', 'mse'])` saves it. */
export function kerasTrainingConfig(t: KerasTraining): Json {
  const adam: Json = { name: 'Adam' };
  if (t.clipnorm > 0) adam.clipnorm = t.clipnorm;
  Object.assign(adam, {
    learning_rate: Math.fround(t.learningRate),
    decay: 0.0,
    beta_1: Math.fround(0.9),
    beta_2: Math.fround(0.999),
    epsilon: 1e-7,
    amsgrad: false,
  });
  return {
    loss: t.loss,
    metrics: [[metric('mae', 'mean_absolute_error'), metric('mse', 'mean_squared_error')]],
    weighted_metrics: null,
    loss_weights: null,
    optimizer_config: { class_name: 'Adam', config: adam },
  };
}
