/**
 * Save / load a layers model in the TensorFlow.js format (model.json +
 * weights.bin, loadable by tf.loadLayersModel) without tfjs-node's file://.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { tf } from '../core/tensor/index.js';

export async function saveTfjsModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData instanceof ArrayBuffer ? a.weightData : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[]);
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(data));
      const json = {
        modelTopology: a.modelTopology,
        format: 'layers-model',
        generatedBy: 'nunatak emulator',
        convertedBy: null,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

export async function loadTfjsModel(dir: string): Promise<tf.LayersModel> {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `no TensorFlow.js model at ${file}`, { hint: 'point to the folder holding model.json and weights.bin' });
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const manifest = json.weightsManifest?.[0];
  if (!manifest) throw new NunatakError('IO', `${file}: weightsManifest is missing`);
  const buf = readFileSync(join(dir, manifest.paths[0]));
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData }));
}
