/**
 * An emulator folder: `model.json` + `weights.bin` (TF.js) or a Keras
 * `model.h5` (DLE / IGM), `fieldin.dat`, `fieldout.dat`, and nunatak's
 * `emulator.json` (network kind and U-Net levels) and `model.onnx`; nunatak
 * also writes the Keras 2.x `model.h5` DLE saves and IGM loads.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { ready, tf } from '../core/tensor/index.js';
import { Emulator, tfjsForward, type EmulatorMeta } from './emulator.js';
import { exportKerasH5, type KerasExportOptions } from './keras-export.js';
import { importKerasH5 } from './keras-h5.js';
import { readFieldDat, writeFieldDat } from './mapping.js';
import { exportOnnx } from './onnx-export.js';
import { onnxForward } from './onnx-forward.js';
import { loadTfjsModel, saveTfjsModel } from './tfjs-format.js';
import { log } from '../core/log.js';

/** Write an emulator folder; `keras` (training settings) goes into model.h5's training_config. */
export async function saveEmulator(dir: string, model: tf.LayersModel, meta: EmulatorMeta, keras: KerasExportOptions = {}): Promise<void> {
  await saveTfjsModel(model, dir);
  writeFieldDat(join(dir, 'fieldin.dat'), meta.inputs);
  writeFieldDat(join(dir, 'fieldout.dat'), meta.outputs);
  writeFileSync(join(dir, 'emulator.json'), JSON.stringify({ network: meta.network, blocks: meta.blocks }, null, 2) + '\n');
  writeFileSync(join(dir, 'model.onnx'), exportOnnx(model));
  await exportKerasH5(model, join(dir, 'model.h5'), keras);
}

/** Load the TF.js (or, when only model.h5 is there, the Keras) model of an emulator folder. */
export async function loadEmulatorModel(dir: string): Promise<{ model: tf.LayersModel; meta: EmulatorMeta }> {
  // Building layers needs an initialised backend; keep the caller's if there is one.
  if (!tf.engine().backendName) await ready();
  const inputs = readFieldDat(join(dir, 'fieldin.dat'));
  const outputs = readFieldDat(join(dir, 'fieldout.dat'));
  let model: tf.LayersModel;
  let network: 'cnn' | 'unet';
  let blocks: number;
  if (existsSync(join(dir, 'model.json'))) {
    model = await loadTfjsModel(dir);
    const info = existsSync(join(dir, 'emulator.json')) ? JSON.parse(readFileSync(join(dir, 'emulator.json'), 'utf8')) : {};
    const pools = model.layers.filter((l) => l.getClassName() === 'MaxPooling2D').length;
    network = info.network ?? (pools ? 'unet' : 'cnn');
    blocks = info.blocks ?? pools + 1;
  } else if (existsSync(join(dir, 'model.h5'))) {
    const imp = await importKerasH5(join(dir, 'model.h5'));
    model = imp.model;
    network = imp.network;
    blocks = imp.blocks;
    if (imp.nIn !== inputs.length) {
      throw new NunatakError('SHAPE', `${dir}/model.h5 takes ${imp.nIn} input channels but fieldin.dat lists ${inputs.length}`);
    }
  } else {
    throw new NunatakError('NOT_FOUND', `no emulator model in ${dir}`, { hint: 'expected model.json + weights.bin (TF.js) or model.h5 (Keras)' });
  }
  return { model, meta: { network, blocks, inputs, outputs } };
}

/** An Emulator running the folder's model through TF.js. */
export async function loadEmulatorTfjs(dir: string): Promise<Emulator> {
  const { model, meta } = await loadEmulatorModel(dir);
  return new Emulator(meta, tfjsForward(model, meta.inputs.length));
}

export type EmulatorRuntime = 'onnx' | 'tfjs' | 'auto';

/**
 * Load an emulator folder for inference. 'auto' (default) runs model.onnx
 * through ONNX Runtime (exporting it from the TF.js / Keras model when absent)
 * and falls back to TF.js when ONNX Runtime cannot load it.
 */
export async function loadEmulator(dir: string, opts: { runtime?: EmulatorRuntime; threads?: number } = {}): Promise<Emulator & { runtime: 'onnx' | 'tfjs' }> {
  const runtime = opts.runtime ?? 'auto';
  const { model, meta } = await loadEmulatorModel(dir);
  if (runtime !== 'tfjs') {
    try {
      const onnxFile = join(dir, 'model.onnx');
      const src = existsSync(onnxFile) ? onnxFile : exportOnnx(model);
      const { forward } = await onnxForward(src, meta.inputs.length, meta.outputs.length, { threads: opts.threads });
      return Object.assign(new Emulator(meta, forward), { runtime: 'onnx' as const });
    } catch (e) {
      if (runtime === 'onnx') throw e;
      log.warn(`emulator ${dir}: ONNX Runtime unavailable (${(e as Error).message}); using TF.js`);
    }
  }
  return Object.assign(new Emulator(meta, tfjsForward(model, meta.inputs.length)), { runtime: 'tfjs' as const });
}
