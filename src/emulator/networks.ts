/**
 * DLE's networks as TF.js layers models (channels-last, any grid size):
 *  - CNN: n × [Conv2D(f, k×k, same) → LeakyReLU(0.01) → Dropout], then a 1×1
 *    linear Conv2D head. One activation layer object is shared by every conv,
 *    exactly as in DLE's Keras graph (so its model.h5 maps 1:1).
 *  - U-Net (keras_unet_collection unet_2d layout): `levels` levels with filters
 *    f·2^l, 2 convs per level, 2×2 max-pool down, 3×3 stride-2 transposed conv
 *    (+ activation) up, skip concatenation, 1×1 linear head. Grids must be
 *    multiples of 2^(levels−1); `Emulator` pads and crops.
 */
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';

export interface NetworkSpec {
  network: 'cnn' | 'unet';
  nIn: number;
  nOut: number;
  /** CNN conv layers. */
  layers: number;
  /** U-Net levels. */
  blocks: number;
  filters: number;
  kernel: number;
  activation: 'lrelu' | 'relu';
  dropout: number;
  /** L2 kernel regulariser factor (applied by the trainer). */
  l2: number;
  seed: number;
}

/** LeakyReLU slope used by DLE's 'lrelu'. */
export const LRELU_ALPHA = 0.01;

type SymT = tf.SymbolicTensor;

function act(spec: NetworkSpec, name: string): tf.layers.Layer {
  return spec.activation === 'lrelu' ? tf.layers.leakyReLU({ alpha: LRELU_ALPHA, name }) : tf.layers.reLU({ name });
}

export function buildNetwork(spec: NetworkSpec): tf.LayersModel {
  return spec.network === 'cnn' ? buildCnn(spec) : buildUnet(spec);
}

function conv(spec: NetworkSpec, filters: number, k: number, name: string, seedOffset: number): tf.layers.Layer {
  return tf.layers.conv2d({
    filters,
    kernelSize: k,
    padding: 'same',
    name,
    kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + seedOffset }),
    biasInitializer: 'zeros',
  });
}

export function buildCnn(spec: NetworkSpec): tf.LayersModel {
  const input = tf.input({ shape: [null, null, spec.nIn], name: 'input_1' }) as SymT;
  const shared = act(spec, spec.activation === 'lrelu' ? 'leaky_re_lu' : 're_lu');
  let x: SymT = input;
  for (let l = 0; l < spec.layers; l++) {
    x = conv(spec, spec.filters, spec.kernel, l === 0 ? 'conv2d' : `conv2d_${l}`, l).apply(x) as SymT;
    x = shared.apply(x) as SymT;
    x = tf.layers.dropout({ rate: spec.dropout, name: l === 0 ? 'dropout' : `dropout_${l}` }).apply(x) as SymT;
  }
  const out = conv(spec, spec.nOut, 1, `conv2d_${spec.layers}`, spec.layers).apply(x) as SymT;
  return tf.model({ inputs: input, outputs: out, name: 'dle_cnn' });
}

export function buildUnet(spec: NetworkSpec): tf.LayersModel {
  const L = spec.blocks;
  const input = tf.input({ shape: [null, null, spec.nIn], name: 'unet_input' }) as SymT;
  let seed = 0;
  const stack = (x: SymT, f: number, name: string): SymT => {
    for (let s = 0; s < 2; s++) {
      x = conv(spec, f, 3, `${name}_${s}`, seed++).apply(x) as SymT;
      x = act(spec, `${name}_${s}_activation`).apply(x) as SymT;
      if (spec.dropout > 0) x = tf.layers.dropout({ rate: spec.dropout, name: `${name}_${s}_dropout` }).apply(x) as SymT;
    }
    return x;
  };
  const skips: SymT[] = [];
  let x = stack(input, spec.filters, 'down0');
  for (let l = 1; l < L; l++) {
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid', name: `down${l}_maxpool` }).apply(x) as SymT;
    x = stack(x, spec.filters * 2 ** l, `down${l}`);
  }
  for (let l = L - 2; l >= 0; l--) {
    const f = spec.filters * 2 ** l;
    x = tf.layers
      .conv2dTranspose({
        filters: f,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        name: `up${l}_decode`,
        kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + 1000 + l }),
      })
      .apply(x) as SymT;
    x = act(spec, `up${l}_decode_activation`).apply(x) as SymT;
    x = tf.layers.concatenate({ axis: -1, name: `up${l}_concat` }).apply([x, skips[l]]) as SymT;
    x = stack(x, f, `up${l}`);
  }
  const out = conv(spec, spec.nOut, 1, 'unet_output', seed++).apply(x) as SymT;
  return tf.model({ inputs: input, outputs: out, name: 'dle_unet' });
}

/** The grid multiple a U-Net with `blocks` levels needs (2^(levels−1)); 1 for a CNN. */
export function gridMultiple(network: 'cnn' | 'unet', blocks: number): number {
  return network === 'unet' ? 2 ** (blocks - 1) : 1;
}

/** Throw when a U-Net cannot take an ny × nx grid without padding. */
export function checkGrid(network: 'cnn' | 'unet', blocks: number, ny: number, nx: number, what: string): void {
  const m = gridMultiple(network, blocks);
  if (ny % m !== 0 || nx % m !== 0) {
    throw new NunatakError('SHAPE', `${what}: a ${blocks}-level U-Net needs grid sizes that are multiples of ${m}, got ${ny}×${nx}`, {
      hint: `pad the input to ${Math.ceil(ny / m) * m}×${Math.ceil(nx / m) * m} (Emulator.predict does this) or use a patch_size that is a multiple of ${m}`,
    });
  }
}
