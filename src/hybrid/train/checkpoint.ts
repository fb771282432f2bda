/**
 * Checkpoints: `model_ep<N>.json` in the save folder with the weights, the
 * optimizer state and the epoch, so training resumes exactly.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../core/tensor/index.js';
import { NunatakError } from '../../core/errors.js';
import type { ComponentRecord } from '../user-components.js';
import type { OptimizerState } from './optim.js';

export interface Checkpoint {
  epoch: number;
  weights: Record<string, { shape: number[]; data: string }>;
  optimizer?: OptimizerState;
  /** The process model, NN and loss trained with (built-in names or the user's files), so test/simulate can check them. */
  components?: ComponentRecord;
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const unb64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

export function saveCheckpoint(dir: string, epoch: number, vars: Map<string, tf.Variable>, optimizer?: OptimizerState, components?: ComponentRecord): string {
  mkdirSync(dir, { recursive: true });
  const weights: Checkpoint['weights'] = {};
  for (const [k, v] of vars) weights[k] = { shape: v.shape, data: b64(v.dataSync() as Float32Array) };
  const file = join(dir, `model_ep${epoch}.json`);
  writeFileSync(file, JSON.stringify({ epoch, weights, optimizer, components } satisfies Checkpoint));
  return file;
}

/** Epochs that have a checkpoint in `dir`, ascending. */
export function checkpointEpochs(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^model_ep(\d+)\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => +m[1])
    .sort((a, b) => a - b);
}

export function loadCheckpoint(dir: string, epoch?: number): Checkpoint {
  const eps = checkpointEpochs(dir);
  const e = epoch ?? eps[eps.length - 1];
  if (e === undefined || !eps.includes(e)) {
    throw new NunatakError('NOT_FOUND', `no checkpoint ${epoch !== undefined ? `for epoch ${epoch} ` : ''}in ${dir}`, { hint: eps.length ? `available epochs: ${eps.join(', ')}` : 'train first (nunatak hybrid train <config>)' });
  }
  return JSON.parse(readFileSync(join(dir, `model_ep${e}.json`), 'utf8')) as Checkpoint;
}

export function restoreWeights(ck: Checkpoint, vars: Map<string, tf.Variable>): void {
  for (const [k, v] of vars) {
    const w = ck.weights[k];
    if (!w || w.shape.join() !== v.shape.join()) {
      throw new NunatakError('SHAPE', `checkpoint weight '${k}' is ${w ? `[${w.shape}]` : 'missing'}, the model needs [${v.shape}]`, { hint: 'the config model section must match the one used for training' });
    }
    v.assign(tf.tensor(unb64(w.data), w.shape));
  }
}
