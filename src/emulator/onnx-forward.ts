/** Run an exported emulator through ONNX Runtime with the `Forward` contract (channels-last in and out). */
import { OnnxSession, type OnnxSessionOptions } from '../core/onnx/index.js';
import type { Forward } from './emulator.js';

/** (h, w, c) channels-last ↔ (c, h, w) channels-first. */
export function hwcToChw(x: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  const n = h * w;
  for (let p = 0; p < n; p++) for (let k = 0; k < c; k++) out[k * n + p] = x[p * c + k];
  return out;
}
export function chwToHwc(x: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  const n = h * w;
  for (let k = 0; k < c; k++) for (let p = 0; p < n; p++) out[p * c + k] = x[k * n + p];
  return out;
}

export async function onnxForward(model: string | Uint8Array, nin: number, nout: number, opts: OnnxSessionOptions = {}): Promise<{ forward: Forward; session: OnnxSession }> {
  const session = await OnnxSession.create(model, opts);
  const forward: Forward = async (x, ny, nx) => {
    const r = await session.run({ x: { data: hwcToChw(x, ny, nx, nin), shape: [1, nin, ny, nx] } });
    return chwToHwc(r.y.data, ny, nx, nout);
  };
  return { forward, session };
}
