/**
 * MaxPoolGrad for the wasm backend. TF.js 4.22's own wasm MaxPoolGrad drops
 * gradient entries (seen with one channel: a 2×2/2 pool of a 4×4 map routes 3
 * of 4 window gradients), so nunatak replaces it with this loop over the wasm
 * heap: each dy goes to the first maximum of its window in raster order, the
 * cpu backend's rule.
 */
import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from './wasm-call.js';

export function maxPoolGradWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs;
  const a = args.attrs as unknown as {
    filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const c = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = c;
  const dx = backend.makeOutput(input.shape, 'float32');
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const out = heapF32(backend, dx);
  out.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * c.strideHeight - c.padInfo.top;
      const ya = Math.max(0, y0);
      const yb = Math.min(H, y0 + c.effectiveFilterHeight);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * c.strideWidth - c.padInfo.left;
        const xa = Math.max(0, x0);
        const xb = Math.min(W, x0 + c.effectiveFilterWidth);
        const go = ((b * OH + oy) * OW + ox) * C;
        for (let ch = 0; ch < C; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let y = ya; y < yb; y++) {
            for (let xx = xa; xx < xb; xx++) {
              const i = ((b * H + y) * W + xx) * C + ch;
              if (x[i] > best) {
                best = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) out[at] += g[go + ch];
        }
      }
    }
  }
  return dx;
}
