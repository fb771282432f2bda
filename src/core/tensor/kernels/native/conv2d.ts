/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter for the
 * wasm backend on ONNX Runtime's native (MLAS) convolutions. Inputs are read
 * from, and the output written into, the wasm heap without copies. Each
 * returns null when the call cannot be mapped exactly (or is too small), and
 * the registered kernel then runs the previous wasm kernel instead.
 */
import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from '../wasm-call.js';
import type { ConvAttrs as BaseConvAttrs } from '../conv2d-grads.js';
import { useNative } from './control.js';
import { conv2dFilterGradSession, conv2dInputGradSession, conv2dSession, gemmSession, NATIVE_ACTIVATIONS, type NativeActivation, type Pads4 } from './graphs.js';

type Shape4 = [number, number, number, number];
interface ConvAttrs extends BaseConvAttrs {
  activation?: string;
  leakyreluAlpha?: number;
}
export interface KernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  backend: unknown;
  attrs: NamedAttrMap;
}

const f32 = (...ts: Array<TensorInfo | undefined>): boolean => ts.every((t) => t === undefined || t.dtype === 'float32');
const nonEmpty = (...shapes: number[][]): boolean => shapes.every((s) => s.every((d) => d > 0));

/** ONNX output extent of a conv along one axis. */
const convOut = (n: number, k: number, s: number, d: number, before: number, after: number): number => Math.floor((n + before + after - ((k - 1) * d + 1)) / s) + 1;

function info(xShape: Shape4, fShape: Shape4, a: ConvAttrs): backend_util.Conv2DInfo | null {
  if (a.dataFormat !== undefined && a.dataFormat !== 'NHWC') return null;
  return backend_util.computeConv2DInfo(xShape, fShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
}

function padsOf(c: backend_util.Conv2DInfo): Pads4 | null {
  const { top, left, bottom, right } = c.padInfo;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  return [top, left, bottom, right];
}

const flopsOf = (c: backend_util.Conv2DInfo): number => 2 * c.batchSize * c.outHeight * c.outWidth * c.outChannels * c.filterHeight * c.filterWidth * c.inChannels;

/** Conv2D and FusedConv2D (bias [CO] and the activations in NATIVE_ACTIVATIONS). */
export function conv2dNative(name: string, { inputs, backend: be, attrs }: KernelArgs): TensorInfo | null {
  const backend = be as BackendWasm;
  const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as ConvAttrs;
  const act = a.activation ?? 'linear';
  const c = f32(x, filter, bias) && nonEmpty(x.shape, filter.shape) ? info(x.shape as Shape4, filter.shape as Shape4, a) : null;
  const pads = c === null ? null : padsOf(c);
  const mappable =
    c !== null && pads !== null && preluActivationWeights == null && NATIVE_ACTIVATIONS.has(act) &&
    (bias == null || (bias.shape.length === 1 && bias.shape[0] === c.outChannels)) &&
    convOut(c.inHeight, c.filterHeight, c.strideHeight, c.dilationHeight, pads[0], pads[2]) === c.outHeight &&
    convOut(c.inWidth, c.filterWidth, c.strideWidth, c.dilationWidth, pads[1], pads[3]) === c.outWidth;
  if (!useNative(name, c === null ? 0 : flopsOf(c), mappable) || c === null || pads === null) return null;
  const s = conv2dSession({
    pads, strides: [c.strideHeight, c.strideWidth], dilations: [c.dilationHeight, c.dilationWidth],
    bias: bias != null, activation: act as NativeActivation, alpha: a.leakyreluAlpha ?? 0.2,
  });
  const out = backend.makeOutput(c.outShape, 'float32'); // before taking heap views: it may grow the heap
  const feeds: Record<string, { data: Float32Array; dims: number[] }> = {
    x: { data: heapF32(backend, x), dims: x.shape },
    w: { data: heapF32(backend, filter), dims: filter.shape },
  };
  if (bias != null) feeds.bias = { data: heapF32(backend, bias), dims: bias.shape };
  s.runInto(feeds, { y: { data: heapF32(backend, out), dims: c.outShape } });
  return out;
}

/** Conv2DBackpropInput {dy, filter}, attr inputShape: a ConvTranspose. */
export function conv2dBackpropInputNative({ inputs, backend: be, attrs }: KernelArgs): TensorInfo | null {
  const backend = be as BackendWasm;
  const { dy, filter } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  const c = f32(dy, filter) && nonEmpty(dy.shape, filter.shape, a.inputShape) ? info(a.inputShape, filter.shape as Shape4, a) : null;
  const pads = c === null ? null : padsOf(c);
  let mappable = c !== null && pads !== null && dy.shape[1] === c.outHeight && dy.shape[2] === c.outWidth;
  // ConvTranspose extent s·(OH−1) + (K−1)·d + 1 − pads; rows/cols of x no window reads get zero gradient (output_padding, or fewer end pads).
  const fit = (n: number, o: number, k: number, s: number, d: number, before: number, after: number): [number, number] => {
    const e = n - (s * (o - 1) + (k - 1) * d + 1 - before - after);
    return e <= after ? [after - e, 0] : [0, e - after];
  };
  let endH: [number, number] = [0, 0], endW: [number, number] = [0, 0];
  if (c !== null && pads !== null) {
    endH = fit(c.inHeight, c.outHeight, c.filterHeight, c.strideHeight, c.dilationHeight, pads[0], pads[2]);
    endW = fit(c.inWidth, c.outWidth, c.filterWidth, c.strideWidth, c.dilationWidth, pads[1], pads[3]);
    // ONNX Runtime requires output_padding < stride (or dilation).
    mappable &&= endH[1] < Math.max(c.strideHeight, c.dilationHeight) && endW[1] < Math.max(c.strideWidth, c.dilationWidth);
  }
  if (!useNative('Conv2DBackpropInput', c === null ? 0 : flopsOf(c), mappable) || c === null || pads === null) return null;
  const s = conv2dInputGradSession({
    pads: [pads[0], pads[1], endH[0], endW[0]], strides: [c.strideHeight, c.strideWidth], dilations: [c.dilationHeight, c.dilationWidth], outputPadding: [endH[1], endW[1]],
  });
  const out = backend.makeOutput(a.inputShape, 'float32');
  s.runInto(
    { dy: { data: heapF32(backend, dy), dims: dy.shape }, w: { data: heapF32(backend, filter), dims: filter.shape } },
    { y: { data: heapF32(backend, out), dims: a.inputShape } },
  );
  return out;
}

/** Conv2DBackpropFilter {x, dy}, attr filterShape: a conv with batch↔channel swapped. */
export function conv2dBackpropFilterNative({ inputs, backend: be, attrs }: KernelArgs): TensorInfo | null {
  const backend = be as BackendWasm;
  const { x, dy } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  const c = f32(x, dy) && nonEmpty(x.shape, dy.shape, a.filterShape) ? info(x.shape as Shape4, a.filterShape, a) : null;
  const pads = c === null ? null : padsOf(c);
  const mappable = c !== null && pads !== null && dy.shape[1] === c.outHeight && dy.shape[2] === c.outWidth;
  if (!useNative('Conv2DBackpropFilter', c === null ? 0 : flopsOf(c), mappable) || c === null || pads === null) return null;
  if (c.strideHeight === 1 && c.strideWidth === 1) return filterGradShifted(backend, x, dy, c, pads, a.filterShape);
  // dw[kh,kw] reads x rows oy·s + kh·d − top: a conv over x of kernel dy (dilation s, stride d). End pads just reach the last row read (zeros past H);
  // when no end pad is needed the conv may run past KH and is cropped.
  const sh = c.strideHeight, sw = c.strideWidth, dh = c.dilationHeight, dw = c.dilationWidth;
  const KH = c.filterHeight, KW = c.filterWidth;
  const padB = Math.max(0, (KH - 1) * dh + (c.outHeight - 1) * sh + 1 - c.inHeight - pads[0]);
  const padR = Math.max(0, (KW - 1) * dw + (c.outWidth - 1) * sw + 1 - c.inWidth - pads[1]);
  const gh = convOut(c.inHeight, c.outHeight, dh, sh, pads[0], padB), gw = convOut(c.inWidth, c.outWidth, dw, sw, pads[1], padR);
  const crop: [number, number] | null = gh === KH && gw === KW ? null : [KH, KW];
  const s = conv2dFilterGradSession({ pads: [pads[0], pads[1], padB, padR], strides: [dh, dw], dilations: [sh, sw], crop });
  const out = backend.makeOutput(a.filterShape, 'float32');
  s.runInto(
    { x: { data: heapF32(backend, x), dims: x.shape }, dy: { data: heapF32(backend, dy), dims: dy.shape } },
    { y: { data: heapF32(backend, out), dims: a.filterShape } },
  );
  return out;
}

let scratch = new Float32Array(0);
/** Geometry the scratch grid was last zeroed for: the same again only rewrites the interiors (their zero borders stay). */
let scratchKey = '';

/**
 * Stride-1 filter gradient as KH·KW plain gemms (about 1.5× faster than the
 * swapped conv at DLE sizes): x and dy are laid on one zero-padded Hp×Wp grid,
 * where the tap (kh, kw) is a constant shift (kh·dh·Wp + kw·dw) of the flat
 * pixel index, so dw[kh,kw] = xpad[shifted]ᵀ · dyp is a gemm on views (no im2col).
 * dy's zero border keeps shifted reads inside each image.
 */
function filterGradShifted(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, c: backend_util.Conv2DInfo, pads: Pads4, filterShape: Shape4): TensorInfo {
  const [B, H, W, CI] = x.shape as Shape4;
  const { outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW, dilationHeight: dh, dilationWidth: dw } = c;
  const Hp = Math.max(H + pads[0], OH + (KH - 1) * dh), Wp = Math.max(W + pads[1], OW + (KW - 1) * dw);
  const nx = B * Hp * Wp * CI, nd = B * Hp * Wp * CO;
  if (scratch.length < nx + nd) scratch = new Float32Array(nx + nd);
  const xp = scratch.subarray(0, nx), dp = scratch.subarray(nx, nx + nd);
  const key = `${B} ${H} ${W} ${CI} ${OH} ${OW} ${CO} ${Hp} ${Wp} ${pads[0]} ${pads[1]}`;
  if (key !== scratchKey) {
    xp.fill(0);
    dp.fill(0);
    scratchKey = key;
  }
  const out = backend.makeOutput(filterShape, 'float32'); // before heap views: it may grow the heap
  const xs = heapF32(backend, x), ds = heapF32(backend, dy), o = heapF32(backend, out);
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < H; y++) xp.set(xs.subarray((b * H + y) * W * CI, (b * H + y + 1) * W * CI), ((b * Hp + y + pads[0]) * Wp + pads[1]) * CI);
    for (let y = 0; y < OH; y++) dp.set(ds.subarray((b * OH + y) * OW * CO, (b * OH + y + 1) * OW * CO), (b * Hp + y) * Wp * CO);
  }
  const maxOff = (KH - 1) * dh * Wp + (KW - 1) * dw;
  const Np = B * Hp * Wp - maxOff;
  const s = gemmSession({ transA: true, transB: false, bias: false, activation: 'linear', alpha: 0 });
  const dyv = { data: dp.subarray(0, Np * CO), dims: [Np, CO] };
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++) {
      const off = (kh * dh * Wp + kw * dw) * CI, t = (kh * KW + kw) * CI * CO;
      s.runInto({ a: { data: xp.subarray(off, off + Np * CI), dims: [Np, CI] }, b: dyv }, { y: { data: o.subarray(t, t + CI * CO), dims: [CI, CO] } });
    }
  return out;
}
