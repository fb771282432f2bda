/**
 * Plain-loop Conv2D gradients (NHWC, any stride, dilation, padding) for the
 * cases the conv-based wasm kernels do not cover (dilation > 1, pads wider
 * than the filter). Accumulates in float64.
 */
import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Visit every (output pixel, filter tap) pair that reads an input pixel inside
 * the image: `tap(dyOffset, xOffset, wOffset)` gets the flat offsets of the
 * output's channel vector, the input's channel vector and the tap's CI×CO block.
 */
function forEachTap(c: backend_util.Conv2DInfo, tap: (dyo: number, xo: number, wo: number) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = c;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = c;
  const pt = c.padInfo.top;
  const pl = c.padInfo.left;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      for (let xo = 0; xo < OW; xo++) {
        const dyo = ((b * OH + y) * OW + xo) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const iy = y * sh + kh * dh - pt;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = xo * sw + kw * dw - pl;
            if (ix < 0 || ix >= W) continue;
            tap(dyo, ((b * H + iy) * W + ix) * CI, (kh * KW + kw) * CI * CO);
          }
        }
      }
    }
  }
}

/** dW[kh,kw,ci,co] from x [B,H,W,CI] and dy [B,OH,OW,CO]. */
export function conv2dBackpropFilterNaive(x: Float32Array, dy: Float32Array, c: backend_util.Conv2DInfo): Float32Array {
  const { inChannels: CI, outChannels: CO, filterHeight: KH, filterWidth: KW } = c;
  const acc = new Float64Array(KH * KW * CI * CO);
  forEachTap(c, (dyo, xo, wo) => {
    for (let ci = 0; ci < CI; ci++) {
      const xv = x[xo + ci];
      const r = wo + ci * CO;
      for (let co = 0; co < CO; co++) acc[r + co] += xv * dy[dyo + co];
    }
  });
  return Float32Array.from(acc);
}

/** dX [B,H,W,CI] from dy [B,OH,OW,CO] and w [KH,KW,CI,CO]. */
export function conv2dBackpropInputNaive(dy: Float32Array, w: Float32Array, c: backend_util.Conv2DInfo): Float32Array {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO } = c;
  const acc = new Float64Array(B * H * W * CI);
  forEachTap(c, (dyo, xo, wo) => {
    for (let ci = 0; ci < CI; ci++) {
      let s = 0;
      const r = wo + ci * CO;
      for (let co = 0; co < CO; co++) s += w[r + co] * dy[dyo + co];
      acc[xo + ci] += s;
    }
  });
  return Float32Array.from(acc);
}
