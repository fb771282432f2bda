/**
 * The tensor runtime: TensorFlow.js core with the wasm backend as the default
 * in Node, cpu as the complete fallback, webgpu/webgl where present.
 * `NUNATAK_BACKEND` (or the `backend` argument) picks one.
 *
 * Public API (stable; faces import only this): `tf`, `ready`, `backendName`,
 * `probeBackends`.
 */
// The union package's Node bundle is the one that registers every gradient
// and the chained tensor methods (tfjs-core's own Node bundle does not, and its
// ESM build is bundler-only), so nunatak imports TF.js through it.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { NunatakError } from '../errors.js';
import { registerWasmKernels } from './kernels/register.js';

export { tf };

// PROD silences the cpu backend's "install tfjs-node" banner, which is wrong
// advice here (tfjs-node cannot install without network access to Google).
tf.env().set('PROD', true);

// Conv-net training kernels the wasm backend lacks or runs slowly (see kernels/).
registerWasmKernels();

export type BackendName = 'wasm' | 'cpu' | 'webgpu' | 'webgl';
export const KNOWN_BACKENDS: BackendName[] = ['wasm', 'cpu', 'webgpu', 'webgl'];

/** The backend used when nothing is asked for: NUNATAK_BACKEND, else wasm. */
export function defaultBackend(): BackendName {
  const env = process.env.NUNATAK_BACKEND;
  if (env === undefined || env === '') return 'wasm';
  if (!(KNOWN_BACKENDS as string[]).includes(env)) {
    throw new NunatakError('CONFIG', `NUNATAK_BACKEND=${env} is not a tensor backend`, {
      hint: `use one of ${KNOWN_BACKENDS.join(', ')}`,
    });
  }
  return env as BackendName;
}

/** Make `backend` (default: `defaultBackend()`) current and wait until it is ready. */
export async function ready(backend: BackendName = defaultBackend()): Promise<BackendName> {
  if (tf.getBackend() === backend) return backend;
  if (tf.findBackendFactory(backend) === null) {
    throw new NunatakError('DEPENDENCY', `tensor backend '${backend}' is not available in this runtime`, {
      hint: backend === 'webgpu' || backend === 'webgl' ? 'webgpu/webgl need a browser or a GPU-enabled runtime; use wasm or cpu in Node' : 'reinstall with npm ci',
    });
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new NunatakError('DEPENDENCY', `tensor backend '${backend}' failed to initialise`);
  await tf.ready();
  return backend;
}

/** Name of the backend in use now. */
export function backendName(): string {
  return tf.getBackend();
}

/** Try every known backend; report which initialise and run a small op. */
export async function probeBackends(): Promise<Array<{ name: BackendName; ok: boolean; detail: string }>> {
  const prev = tf.getBackend();
  const out: Array<{ name: BackendName; ok: boolean; detail: string }> = [];
  for (const name of KNOWN_BACKENDS) {
    if (tf.findBackendFactory(name) === null) {
      out.push({ name, ok: false, detail: 'not registered in Node (browser/GPU only)' });
      continue;
    }
    try {
      await ready(name);
      const s = tf.tidy(() => tf.sum(tf.mul(tf.ones([4, 4]), 2)).dataSync()[0]);
      out.push({ name, ok: s === 32, detail: s === 32 ? 'ran a test op' : `test op gave ${s}` });
    } catch (e) {
      out.push({ name, ok: false, detail: (e as Error).message });
    }
  }
  if (prev) await tf.setBackend(prev);
  return out;
}
