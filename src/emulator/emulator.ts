/**
 * A trained emulator at inference: a network plus its input/output channels.
 * `predict` follows IGM's contract: X = stack(field/bound), zero-padded for a
 * U-Net, Y = net(X), out = Y·bound cropped back (optionally zero where thk = 0).
 */
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';
import type { Channel } from './mapping.js';
import { checkGrid, gridMultiple } from './networks.js';

export interface EmulatorMeta {
  network: 'cnn' | 'unet';
  /** U-Net levels (ignored for a CNN). */
  blocks: number;
  inputs: Channel[];
  outputs: Channel[];
}

/** Any forward pass taking channels-last (1, ny, nx, nin) → (1, ny, nx, nout). */
export type Forward = (x: Float32Array, ny: number, nx: number) => Promise<Float32Array> | Float32Array;

export function tfjsForward(model: tf.LayersModel, nin: number): Forward {
  return (x, ny, nx) =>
    tf.tidy(() => (model.predict(tf.tensor4d(x, [1, ny, nx, nin])) as tf.Tensor).dataSync() as Float32Array);
}

/** Stack fields (each ny·nx, C order) into scaled channels-last input padded to `py`×`px` with zeros. */
export function stackInputs(fields: Record<string, Float32Array>, inputs: Channel[], ny: number, nx: number, py = ny, px = nx): Float32Array {
  const nin = inputs.length;
  const x = new Float32Array(py * px * nin);
  inputs.forEach((ch, k) => {
    const f = fields[ch.name];
    if (!f) throw new NunatakError('NOT_FOUND', `emulator input '${ch.name}' is missing (have: ${Object.keys(fields).join(', ')})`);
    if (f.length !== ny * nx) throw new NunatakError('SHAPE', `emulator input '${ch.name}' has ${f.length} values, expected ${ny}×${nx}`);
    const inv = 1 / ch.bound;
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
      const v = f[j * nx + i];
      if (!Number.isFinite(v)) throw new NunatakError('NUMERIC', `emulator input '${ch.name}' is ${v} at row ${j}, col ${i}`);
      x[(j * px + i) * nin + k] = v * inv;
    }
  });
  return x;
}

export class Emulator {
  constructor(
    readonly meta: EmulatorMeta,
    readonly forward: Forward,
  ) {}

  /**
   * Output fields (physical units) for one frame of input fields (ny·nx each).
   * `pad` false makes a U-Net refuse grids that are not multiples of 2^(levels−1).
   */
  async predict(fields: Record<string, Float32Array>, ny: number, nx: number, opts: { pad?: boolean; maskThk?: boolean } = {}): Promise<Record<string, Float32Array>> {
    const m = gridMultiple(this.meta.network, this.meta.blocks);
    if (opts.pad === false) checkGrid(this.meta.network, this.meta.blocks, ny, nx, 'emulator input');
    const py = Math.ceil(ny / m) * m;
    const px = Math.ceil(nx / m) * m;
    const x = stackInputs(fields, this.meta.inputs, ny, nx, py, px);
    const y = await this.forward(x, py, px);
    const nout = this.meta.outputs.length;
    if (y.length !== py * px * nout) throw new NunatakError('SHAPE', `emulator returned ${y.length} values, expected ${py}×${px}×${nout}`);
    const thk = opts.maskThk ? fields.thk : undefined;
    const out: Record<string, Float32Array> = {};
    this.meta.outputs.forEach((ch, k) => {
      const f = new Float32Array(ny * nx);
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
        const v = y[(j * px + i) * nout + k] * ch.bound;
        f[j * nx + i] = thk && !(thk[j * nx + i] > 0) ? 0 : v;
      }
      out[ch.name] = f;
    });
    return out;
  }
}
