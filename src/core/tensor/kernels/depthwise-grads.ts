/**
 * DepthwiseConv2dNative gradients for the wasm backend (absent from it):
 * plain loops over the wasm heap, NHWC, any stride / dilation / padding.
 * Depthwise convs have no channel reduction, so a loop is within a small
 * factor of a GEMM here; accumulation is float64.
 */
import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from './wasm-call.js';

interface DwAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Args = { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap };

/** Visit every (output pixel, filter tap) pair of a depthwise conv. */
function forEachTap(c: backend_util.Conv2DInfo, f: (xo: number, dyo: number, wo: number) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = c;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = c;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++) {
        const dyo = ((b * OH + y) * OW + x) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const iy = y * sh + kh * dh - c.padInfo.top;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = x * sw + kw * dw - c.padInfo.left;
            if (ix < 0 || ix >= W) continue;
            f(((b * H + iy) * W + ix) * CI, dyo, (kh * KW + kw) * CO);
          }
        }
      }
    }
  }
}

/** DepthwiseConv2dNativeBackpropFilter: {x, dy}, attr filterShape [KH,KW,CI,M]. */
export function depthwiseBackpropFilterWasm(args: Args): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs;
  const a = args.attrs as unknown as DwAttrs & { filterShape: [number, number, number, number] };
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const M = c.outChannels / c.inChannels;
  const CI = c.inChannels;
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  const acc = new Float64Array(a.filterShape.reduce((p, q) => p * q, 1));
  forEachTap(c, (xo, dyo, wo) => {
    for (let ci = 0; ci < CI; ci++) {
      const v = xv[xo + ci];
      for (let m = 0; m < M; m++) acc[wo + ci * M + m] += v * dyv[dyo + ci * M + m];
    }
  });
  const out = backend.makeOutput(a.filterShape, 'float32');
  heapF32(backend, out).set(acc);
  return out;
}

/** DepthwiseConv2dNativeBackpropInput: {dy, filter}, attr inputShape. */
export function depthwiseBackpropInputWasm(args: Args): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs;
  const a = args.attrs as unknown as DwAttrs & { inputShape: [number, number, number, number] };
  const c = backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  const M = c.outChannels / c.inChannels;
  const CI = c.inChannels;
  const wv = heapF32(backend, filter);
  const dyv = heapF32(backend, dy);
  const acc = new Float64Array(a.inputShape.reduce((p, q) => p * q, 1));
  forEachTap(c, (xo, dyo, wo) => {
    for (let ci = 0; ci < CI; ci++) {
      let s = 0;
      for (let m = 0; m < M; m++) s += wv[wo + ci * M + m] * dyv[dyo + ci * M + m];
      acc[xo + ci] += s;
    }
  });
  const out = backend.makeOutput(a.inputShape, 'float32');
  heapF32(backend, out).set(acc);
  return out;
}
