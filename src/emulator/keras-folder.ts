/**
 * `nunatak emulator export-keras`: turn a nunatak emulator folder (TF.js
 * `model.json` + `weights.bin`) into the folder IGM and DLE load — `model.h5`
 * (Keras 2.x), `fieldin.dat`, `fieldout.dat`. The channel files are copied
 * byte for byte: nunatak writes them as DLE / IGM 1.x do (`"%s %.6f \n"`), and
 * a Blatter–Pattyn folder's as IGM 2.x does (names only).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { ready, tf } from '../core/tensor/index.js';
import type { KerasTraining } from './keras-config.js';
import { exportKerasH5, type KerasExportOptions } from './keras-export.js';
import { loadTfjsModel } from './tfjs-format.js';

/**
 * Keras `training_config` and L2 factor from a results folder's
 * `dle-run-parameters.txt` (`"%30s : %s"` lines), or {} when it is absent.
 */
export function trainingFromRunParameters(dir: string): KerasExportOptions {
  const file = join(dir, 'dle-run-parameters.txt');
  if (!existsSync(file)) return {};
  const p = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(\w+) : (.*)$/.exec(line);
    if (m) p.set(m[1], m[2].trim());
  }
  const loss = p.get('loss');
  const learningRate = Number(p.get('learning_rate'));
  const clipnorm = Number(p.get('clipnorm') ?? 0);
  const l2 = Number(p.get('regularization') ?? 0);
  if ((loss !== 'mae' && loss !== 'mse') || !Number.isFinite(learningRate) || !Number.isFinite(clipnorm) || !Number.isFinite(l2)) {
    throw new NunatakError('IO', `${file}: expected loss (mae|mse), learning_rate, clipnorm and regularization lines`, { hint: 'the file nunatak emulator train writes' });
  }
  const training: KerasTraining = { loss, learningRate, clipnorm };
  return { training, l2 };
}

/** Write `<out>/model.h5` (+ fieldin.dat, fieldout.dat when `out` is another folder) for emulator folder `dir`. */
export async function exportKerasFolder(dir: string, out = dir): Promise<{ file: string; layers: number; parameters: number }> {
  if (!existsSync(join(dir, 'model.json'))) {
    const hint = existsSync(join(dir, 'model.h5')) ? `${dir} already holds a Keras model.h5` : 'point to a folder made by nunatak emulator train or pretrain';
    throw new NunatakError('NOT_FOUND', `no TensorFlow.js model (model.json) in ${dir}`, { hint });
  }
  for (const f of ['fieldin.dat', 'fieldout.dat']) {
    if (!existsSync(join(dir, f))) throw new NunatakError('NOT_FOUND', `${join(dir, f)} does not exist`, { hint: 'an emulator folder lists its channels in fieldin.dat and fieldout.dat' });
  }
  if (!tf.engine().backendName) await ready();
  const model = await loadTfjsModel(dir);
  try {
    mkdirSync(out, { recursive: true });
    const file = join(out, 'model.h5');
    await exportKerasH5(model, file, trainingFromRunParameters(dir));
    if (resolve(out) !== resolve(dir)) for (const f of ['fieldin.dat', 'fieldout.dat']) copyFileSync(join(dir, f), join(out, f));
    return { file, layers: model.layers.length, parameters: model.countParams() };
  } finally {
    model.dispose();
  }
}
