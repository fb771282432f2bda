/**
 * ONNX Runtime's NCHWc kernels (`com.microsoft.nchwc`): direct convolutions
 * on channel-blocked tensors (blocks of 16 channels with AVX-512, 8 with
 * AVX2), the fastest MLAS convolution on x86 (≈ 1.8× its im2col Conv on the
 * DLE layer, BENCHMARKS.md). ONNX Runtime only uses them by itself for
 * constant filters; a training step feeds its filters as inputs, so the step
 * graph calls the kernels directly and reorders the filters in the graph.
 *
 * A blocked tensor keeps an NCHW shape in ONNX Runtime ([B, C, H, W]) but
 * its memory is [B, C/bs, H, W, bs].
 */
import { OnnxGraphBuilder } from '../core/onnx/graph-builder.js';
import { SyncSession, nativeAvailable } from '../core/native/sync-session.js';

export const NCHWC = 'com.microsoft.nchwc';

let probed: number | undefined;

/**
 * The NCHWc block size of this CPU's MLAS (16 or 8), or 0 when the kernels
 * are unavailable (no native runtime, or a CPU without them). Probed once by
 * running `ReorderInput` on 4 channels, which pads to one block.
 */
export function nchwcBlockSize(): number {
  if (probed !== undefined) return probed;
  probed = 0;
  if (!nativeAvailable()) return probed;
  try {
    const g = new OnnxGraphBuilder('nchwc_probe');
    g.output(g.nodeIn(NCHWC, 'ReorderInput', [g.input('x', [1, 4, 1, 1])]), 'y');
    const s = new SyncSession(g.toBytes(), ['y'], 1);
    const bs = s.run({ x: { data: new Float32Array(4), dims: [1, 4, 1, 1] } }).y.dims[1];
    s.dispose();
    probed = bs > 1 ? bs : 0;
  } catch {
    probed = 0;
  }
  return probed;
}

/**
 * Filter [O, I, k, k] (O, I multiples of bs) → the OIHWBiBo order the
 * kernels read for blocked inputs: [O/bs][I/bs][kh][kw][bi][bo].
 */
export function filterBiBo(g: OnnxGraphBuilder, w: string, O: number, I: number, k: number, bs: number): string {
  const split = g.node('Reshape', [w, g.int64(g.uniqueName('biboin'), [O / bs, bs, I / bs, bs, k, k])]);
  const t = g.node('Transpose', [split], { perm: [0, 2, 4, 5, 3, 1] });
  return g.node('Reshape', [t, g.int64(g.uniqueName('bibout'), [O, I, k, k])]);
}

/** Filter [O, I, k, k] (O a multiple of bs, I < bs) → OIHWBo for plain NCHW inputs: [O/bs][i][kh][kw][bo]. */
export function filterBo(g: OnnxGraphBuilder, w: string, O: number, I: number, k: number, bs: number): string {
  const split = g.node('Reshape', [w, g.int64(g.uniqueName('boin'), [O / bs, bs, I, k, k])]);
  const t = g.node('Transpose', [split], { perm: [0, 2, 3, 4, 1] });
  return g.node('Reshape', [t, g.int64(g.uniqueName('bout'), [O, I, k, k])]);
}
