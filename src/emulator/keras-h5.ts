/**
 * Import DLE / IGM Keras HDF5 emulators (`model.h5`, Keras 2.x layout) into
 * TF.js: the `model_config` Functional graph is rebuilt node by node (a layer
 * object may be shared, as DLE's single LeakyReLU is by all convolutions) and
 * `model_weights/<layer>/<layer>/kernel:0, bias:0` are loaded (HWIO, as TF.js).
 */
import { existsSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';
import { loadH5 } from '../io/netcdf/index.js';

interface KerasLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: Array<Array<[string, number, number, unknown]>>;
}

export const SUPPORTED_KERAS_LAYERS = ['InputLayer', 'Conv2D', 'Conv2DTranspose', 'LeakyReLU', 'ReLU', 'Activation', 'Dropout', 'MaxPooling2D', 'Concatenate'];

type H5File = {
  attrs: Record<string, { value: unknown }>;
  get(path: string): unknown;
  close(): void;
};

async function openH5(file: string): Promise<H5File> {
  const h5 = await loadH5();
  return new h5.File(file, 'r') as unknown as H5File;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v));

function activationName(a: unknown, where: string): 'linear' | 'relu' {
  if (a === undefined || a === 'linear' || a === null) return 'linear';
  if (a === 'relu') return 'relu';
  throw new NunatakError('INPUT', `${where}: activation '${String(a)}' is not supported`, { hint: 'supported: linear, relu (and LeakyReLU layers)' });
}

function pair(v: unknown): [number, number] {
  return Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)];
}

function makeLayer(L: KerasLayer, file: string): tf.layers.Layer | null {
  const c = L.config;
  const where = `${file}: layer '${L.name}' (${L.class_name})`;
  switch (L.class_name) {
    case 'InputLayer':
      return null;
    case 'Conv2D':
    case 'Conv2DTranspose': {
      if (c.data_format && c.data_format !== 'channels_last') throw new NunatakError('INPUT', `${where}: only channels_last is supported`);
      const dil = pair(c.dilation_rate ?? 1);
      if (dil[0] !== 1 || dil[1] !== 1) throw new NunatakError('INPUT', `${where}: dilated convolutions are not supported`);
      if ((c.groups ?? 1) !== 1) throw new NunatakError('INPUT', `${where}: grouped convolutions are not supported`);
      const args = {
        name: L.name,
        filters: Number(c.filters),
        kernelSize: pair(c.kernel_size),
        strides: pair(c.strides ?? 1),
        padding: c.padding as 'same' | 'valid',
        activation: activationName(c.activation, where),
        useBias: c.use_bias !== false,
        // Keras' default (TF.js defaults to glorotNormal); kept so a re-export
        // writes the GlorotUniform a Keras file names.
        kernelInitializer: 'glorotUniform' as const,
      };
      return L.class_name === 'Conv2D' ? tf.layers.conv2d(args) : tf.layers.conv2dTranspose(args);
    }
    case 'LeakyReLU':
      return tf.layers.leakyReLU({ name: L.name, alpha: Number(c.alpha ?? 0.3) });
    case 'ReLU':
      if (c.max_value != null || Number(c.negative_slope ?? 0) !== 0 || Number(c.threshold ?? 0) !== 0)
        throw new NunatakError('INPUT', `${where}: only a plain ReLU is supported`);
      return tf.layers.reLU({ name: L.name });
    case 'Activation':
      return tf.layers.activation({ name: L.name, activation: activationName(c.activation, where) });
    case 'Dropout':
      return tf.layers.dropout({ name: L.name, rate: Number(c.rate ?? 0) });
    case 'MaxPooling2D':
      return tf.layers.maxPooling2d({ name: L.name, poolSize: pair(c.pool_size), strides: pair(c.strides ?? c.pool_size), padding: (c.padding as 'same' | 'valid') ?? 'valid' });
    case 'Concatenate':
      return tf.layers.concatenate({ name: L.name, axis: Number(c.axis ?? -1) });
    default:
      throw new NunatakError('INPUT', `${where}: layer type '${L.class_name}' is not supported`, {
        hint: `supported layer types: ${SUPPORTED_KERAS_LAYERS.join(', ')}`,
      });
  }
}

export interface ImportedKeras {
  model: tf.LayersModel;
  network: 'cnn' | 'unet';
  /** U-Net levels (max-pool count + 1); 1 for a CNN. */
  blocks: number;
  nIn: number;
  kerasVersion: string;
}

/** Read a Keras HDF5 model file into a TF.js layers model. */
export async function importKerasH5(file: string): Promise<ImportedKeras> {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `Keras model ${file} does not exist`);
  let f: H5File;
  try {
    f = await openH5(file);
  } catch (e) {
    throw new NunatakError('IO', `${file} is not a readable HDF5 file: ${(e as Error).message}`, { cause: e });
  }
  try {
    const cfgAttr = f.attrs['model_config'];
    if (!cfgAttr) throw new NunatakError('IO', `${file}: attribute 'model_config' is missing (not a Keras model.save() file?)`);
    const cfg = JSON.parse(str(cfgAttr.value));
    if (!['Functional', 'Model', 'Sequential'].includes(cfg.class_name)) {
      throw new NunatakError('INPUT', `${file}: model class '${cfg.class_name}' is not supported`, { hint: 'Functional or Model graphs' });
    }
    if (cfg.class_name === 'Sequential') throw new NunatakError('INPUT', `${file}: Sequential Keras models are not supported`, { hint: 'DLE and IGM save Functional models' });
    const layers: KerasLayer[] = cfg.config.layers;
    const made = new Map<string, tf.layers.Layer | null>();
    for (const L of layers) made.set(L.name, makeLayer(L, file));
    // Symbolic outputs per (layer, node index).
    const out = new Map<string, tf.SymbolicTensor>();
    const inputs: tf.SymbolicTensor[] = [];
    let nIn = 0;
    for (const L of layers) {
      if (L.class_name !== 'InputLayer') continue;
      const shape = (L.config.batch_input_shape as Array<number | null>).slice(1);
      nIn = Number(shape[shape.length - 1]);
      const t = tf.input({ shape, name: L.name }) as tf.SymbolicTensor;
      inputs.push(t);
      out.set(`${L.name}:0`, t);
    }
    const pending: Array<{ L: KerasLayer; k: number }> = [];
    for (const L of layers) if (L.class_name !== 'InputLayer') L.inbound_nodes.forEach((_, k) => pending.push({ L, k }));
    while (pending.length) {
      const before = pending.length;
      for (let p = 0; p < pending.length; p++) {
        const { L, k } = pending[p];
        const srcs = L.inbound_nodes[k].map(([n, idx]) => out.get(`${n}:${idx}`));
        if (srcs.some((s) => s === undefined)) continue;
        const layer = made.get(L.name)!;
        const arg = srcs.length === 1 ? srcs[0]! : (srcs as tf.SymbolicTensor[]);
        out.set(`${L.name}:${k}`, layer.apply(arg) as tf.SymbolicTensor);
        pending.splice(p--, 1);
      }
      if (pending.length === before) throw new NunatakError('IO', `${file}: model_config graph has unresolved inputs (layers ${pending.map((q) => q.L.name).join(', ')})`);
    }
    const outputs = (cfg.config.output_layers as Array<[string, number, number]>).map(([n, k]) => out.get(`${n}:${k}`)!);
    const model = tf.model({ inputs, outputs: outputs.length === 1 ? outputs[0] : outputs, name: String(cfg.config.name ?? 'keras') });
    // Weights.
    for (const L of layers) {
      const layer = made.get(L.name);
      if (!layer || layer.weights.length === 0) continue;
      const w = layer.weights.map((v) => {
        const base = v.originalName.split('/').pop()!; // 'kernel' | 'bias'
        const path = `model_weights/${L.name}/${L.name}/${base}:0`;
        const ds = f.get(path) as { value: unknown; shape: number[] } | null;
        if (!ds) throw new NunatakError('NOT_FOUND', `${file}: weight '${path}' is missing`);
        const data = Float32Array.from(ds.value as ArrayLike<number>);
        const expect = v.shape as number[];
        if (ds.shape.join() !== expect.join()) {
          throw new NunatakError('SHAPE', `${file}: weight '${path}' has shape [${ds.shape}], layer expects [${expect}]`);
        }
        return tf.tensor(data, expect);
      });
      layer.setWeights(w);
      w.forEach((t) => t.dispose());
    }
    const pools = layers.filter((L) => L.class_name === 'MaxPooling2D').length;
    const kv = f.attrs['keras_version'];
    return { model, network: pools > 0 ? 'unet' : 'cnn', blocks: pools + 1, nIn, kerasVersion: kv ? str(kv.value) : 'unknown' };
  } finally {
    f.close();
  }
}
