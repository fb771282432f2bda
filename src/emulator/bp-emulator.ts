/**
 * A Blatter–Pattyn emulator at inference: raw inputs (thk m, usurf m,
 * arrhenius MPa⁻ⁿ a⁻¹, slidingco MPa a^(1/m) m^(−1/m), dX m) → U, V (m a⁻¹)
 * on Nz levels, zero where thk ≤ 0 (IGM's `U = where(thk > 0, Y, 0)`).
 * The TF.js model is kept (retraining); inference runs through ONNX Runtime
 * or TF.js.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { ready, tf } from '../core/tensor/index.js';
import type { OnnxSession } from '../core/onnx/index.js';
import type { BPGeometry } from '../sim/index.js';
import { readBPEmulatorMeta, type BPEmulatorMeta } from './bp-folder.js';
import { tfjsForward, type Forward } from './emulator.js';
import { importKerasH5 } from './keras-h5.js';
import { exportOnnx } from './onnx-export.js';
import { onnxForward } from './onnx-forward.js';
import { loadTfjsModel } from './tfjs-format.js';

/** The fields a BP emulator reads: the BP energy's geometry (its `slope` is not an input). */
export type BPInputGeometry = Omit<BPGeometry, 'slope'>;

/** Channels-last input (ny, nx, 5): thk, usurf, arrhenius, slidingco, dX — raw, as IGM's fieldin_to_X. */
export function bpInputs(g: BPInputGeometry, names: string[]): Float32Array {
  const n = g.nx * g.ny;
  const nin = names.length;
  const x = new Float32Array(n * nin);
  names.forEach((name, c) => {
    const src: number | Float32Array | undefined =
      name === 'thk' ? g.thk : name === 'usurf' ? g.usurf : name === 'arrhenius' ? g.arrhenius : name === 'slidingco' ? g.slidingco : name === 'dX' ? g.dx : undefined;
    if (src === undefined) throw new NunatakError('NOT_FOUND', `BP emulator input '${name}' is not one of thk, usurf, arrhenius, slidingco, dX`);
    if (typeof src !== 'number' && src.length !== n) throw new NunatakError('SHAPE', `BP emulator input '${name}' has ${src.length} values, expected ${g.ny}×${g.nx}`);
    for (let p = 0; p < n; p++) {
      const v = typeof src === 'number' ? src : src[p];
      if (!Number.isFinite(v)) throw new NunatakError('NUMERIC', `BP emulator input '${name}' is ${v} at row ${Math.floor(p / g.nx)}, col ${p % g.nx}`);
      x[p * nin + c] = v;
    }
  });
  return x;
}

/** Split a network output (ny, nx, 2Nz) into U, V ([k][j][i], k = 0 bed), zero where thk ≤ 0. */
export function splitUV(y: ArrayLike<number>, thk: Float32Array, Nz: number, ny: number, nx: number): { U: Float32Array; V: Float32Array } {
  const n = ny * nx;
  if (y.length !== n * 2 * Nz) throw new NunatakError('SHAPE', `BP emulator returned ${y.length} values, expected ${ny}×${nx}×${2 * Nz}`);
  const U = new Float32Array(Nz * n);
  const V = new Float32Array(Nz * n);
  for (let p = 0; p < n; p++) {
    if (!(thk[p] > 0)) continue;
    const o = p * 2 * Nz;
    for (let k = 0; k < Nz; k++) {
      U[k * n + p] = y[o + k];
      V[k * n + p] = y[o + Nz + k];
    }
  }
  return { U, V };
}

export type BPRuntime = 'onnx' | 'tfjs';

export class BPEmulator {
  private forward: Forward;
  private session?: OnnxSession;
  constructor(
    readonly dir: string,
    readonly meta: BPEmulatorMeta,
    /** The TF.js model (trainable; `refresh` after changing its weights). */
    readonly model: tf.LayersModel,
    public runtime: BPRuntime,
    private threads?: number,
  ) {
    this.forward = tfjsForward(model, meta.inputs.length);
  }

  /** (Re)build the inference path from the current TF.js weights (ONNX: re-export). */
  async refresh(onnxBytes?: string | Uint8Array): Promise<void> {
    if (this.runtime === 'tfjs') {
      this.forward = tfjsForward(this.model, this.meta.inputs.length);
      return;
    }
    await this.session?.release();
    const r = await onnxForward(onnxBytes ?? exportOnnx(this.model), this.meta.inputs.length, 2 * this.meta.Nz, { threads: this.threads });
    this.forward = r.forward;
    this.session = r.session;
  }

  /** U, V (m a⁻¹, [k][j][i], length Nz·ny·nx each) for one geometry. */
  async predict(g: BPInputGeometry): Promise<{ U: Float32Array; V: Float32Array }> {
    const y = await this.forward(bpInputs(g, this.meta.inputs), g.ny, g.nx);
    const r = splitUV(y, g.thk, this.meta.Nz, g.ny, g.nx);
    for (const [name, f] of Object.entries(r)) {
      for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i])) throw new NunatakError('NUMERIC', `BP emulator ${this.dir} returned ${f[i]} for ${name} at index ${i}`);
    }
    return r;
  }

  async dispose(): Promise<void> {
    await this.session?.release();
    this.session = undefined;
  }
}

/** The TF.js model of a BP emulator folder (model.json + weights.bin, else Keras model.h5). */
export async function loadBPModel(dir: string): Promise<tf.LayersModel> {
  if (!tf.engine().backendName) await ready();
  if (existsSync(join(dir, 'model.json'))) return loadTfjsModel(dir);
  if (existsSync(join(dir, 'model.h5'))) return (await importKerasH5(join(dir, 'model.h5'))).model;
  throw new NunatakError('NOT_FOUND', `no emulator model in ${dir}`, { hint: 'expected model.json + weights.bin (TF.js) or model.h5 (Keras)' });
}

/** Load a BP emulator folder (IGM pinnbp or nunatak pretrain) for inference and retraining. */
export async function loadBPEmulator(dir: string, opts: { runtime?: BPRuntime; threads?: number } = {}): Promise<BPEmulator> {
  const meta = readBPEmulatorMeta(dir);
  const model = await loadBPModel(dir);
  const nin = model.inputs[0].shape[3];
  if (nin !== meta.inputs.length) throw new NunatakError('SHAPE', `${dir}: the model takes ${nin} input channels but fieldin.dat lists ${meta.inputs.length}`);
  const nout = model.outputs[0].shape[3];
  if (nout !== 2 * meta.Nz) throw new NunatakError('SHAPE', `${dir}: the model returns ${nout} channels but Nz = ${meta.Nz} (${meta.source}) needs ${2 * meta.Nz}`);
  const emu = new BPEmulator(dir, meta, model, opts.runtime ?? 'onnx', opts.threads);
  const onnxFile = join(dir, 'model.onnx');
  // A folder's own model.onnx is used as is; an IGM folder has none, so export it.
  if (emu.runtime === 'onnx') await emu.refresh(existsSync(onnxFile) ? onnxFile : undefined);
  return emu;
}
