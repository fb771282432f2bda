/**
 * nunatak's ONNX exporter for the layers its emulators use (TF.js layers
 * models built here or imported from Keras): Conv2D, Conv2DTranspose,
 * LeakyReLU, ReLU, Activation(relu|linear), Dropout (identity at inference),
 * MaxPooling2D and Concatenate. The graph takes and returns NCHW float32
 * ('x': [batch, nin, h, w] → 'y': [batch, nout, h, w]); TF's 'same' padding is
 * written as explicit pads.
 */
import { NunatakError } from '../core/errors.js';
import { OnnxGraphBuilder, hwioToOihw, hwoiToIohw } from '../core/onnx/index.js';
import type { tf } from '../core/tensor/index.js';

type Cfg = Record<string, unknown>;
const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);

/** TF 'same' padding of a stride-1 conv: [top, left, bottom, right]. */
function samePads(k: [number, number]): [number, number, number, number] {
  const t = Math.floor((k[0] - 1) / 2);
  const l = Math.floor((k[1] - 1) / 2);
  return [t, l, k[0] - 1 - t, k[1] - 1 - l];
}

function activation(g: OnnxGraphBuilder, x: string, a: unknown, where: string): string {
  if (a === undefined || a === null || a === 'linear') return x;
  if (a === 'relu') return g.relu(x);
  throw new NunatakError('INPUT', `${where}: activation '${String(a)}' cannot be exported to ONNX`, { hint: 'supported: linear, relu' });
}

/** Serialise `model` to ONNX bytes (opset 17). */
export function exportOnnx(model: tf.LayersModel, name = 'nunatak_emulator'): Uint8Array {
  const g = new OnnxGraphBuilder(name);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new NunatakError('INPUT', `ONNX export: model '${model.name}' must have one input and one output`);
  }
  const nin = model.inputs[0].shape[3];
  const out = new Map<string, string>();
  out.set(`${model.inputLayers[0].name}:0`, g.input('x', ['batch', Number(nin), 'h', 'w']));
  const pending: Array<{ layer: tf.layers.Layer; k: number }> = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    layer.inboundNodes.forEach((_, k) => pending.push({ layer, k }));
  }
  while (pending.length) {
    const before = pending.length;
    for (let p = 0; p < pending.length; p++) {
      const { layer, k } = pending[p];
      const node = layer.inboundNodes[k];
      const ins = node.inboundLayers.map((l, i) => out.get(`${l.name}:${node.nodeIndices[i]}`));
      if (ins.some((s) => s === undefined)) continue;
      out.set(`${layer.name}:${k}`, emit(g, layer, ins as string[]));
      pending.splice(p--, 1);
    }
    if (pending.length === before) throw new NunatakError('INPUT', `ONNX export: unresolved layers ${pending.map((q) => q.layer.name).join(', ')}`);
  }
  const last = model.outputLayers[0];
  const idx = model.outputs[0].nodeIndex;
  // The output's type must carry a shape: onnx.checker (full_check) refuses a graph output without one.
  const nout = Number(model.outputs[0].shape[3]);
  g.output(out.get(`${last.name}:${idx}`)!, 'y', ['batch', nout, 'h', 'w']);
  return g.toBytes();
}

function emit(g: OnnxGraphBuilder, layer: tf.layers.Layer, ins: string[]): string {
  const c = layer.getConfig() as Cfg;
  const cls = layer.getClassName();
  const where = `layer '${layer.name}' (${cls})`;
  const weights = () => layer.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape as [number, number, number, number] }));
  switch (cls) {
    case 'Conv2D': {
      const k = pair(c.kernelSize);
      const s = pair(c.strides ?? 1);
      const d = pair(c.dilationRate ?? 1);
      if (s[0] !== 1 || s[1] !== 1 || d[0] !== 1 || d[1] !== 1) throw new NunatakError('INPUT', `ONNX export: ${where} has strides/dilation other than 1`);
      const [w, b] = weights();
      const wn = g.weight(`${layer.name}_W`, hwioToOihw(w.data, w.shape), [w.shape[3], w.shape[2], k[0], k[1]]);
      const bn = b ? g.weight(`${layer.name}_B`, b.data, [b.shape[0]]) : undefined;
      const pads = c.padding === 'same' ? samePads(k) : ([0, 0, 0, 0] as [number, number, number, number]);
      // ONNX pads: [top, left, bottom, right] = begins then ends.
      return activation(g, g.conv(ins[0], wn, bn, { pads }), c.activation, where);
    }
    case 'Conv2DTranspose': {
      const k = pair(c.kernelSize);
      const s = pair(c.strides ?? 1);
      if (c.padding !== 'same') throw new NunatakError('INPUT', `ONNX export: ${where} needs padding 'same'`);
      const [w, b] = weights();
      const wn = g.weight(`${layer.name}_W`, hwoiToIohw(w.data, w.shape), [w.shape[3], w.shape[2], k[0], k[1]]);
      const bn = b ? g.weight(`${layer.name}_B`, b.data, [b.shape[0]]) : undefined;
      // TF 'same' transposed conv gives out = in·s: crop max(k − s, 0) cells, the smaller half at the start.
      const tot = [Math.max(k[0] - s[0], 0), Math.max(k[1] - s[1], 0)];
      const pads: [number, number, number, number] = [Math.floor(tot[0] / 2), Math.floor(tot[1] / 2), tot[0] - Math.floor(tot[0] / 2), tot[1] - Math.floor(tot[1] / 2)];
      const outputPadding: [number, number] = [Math.max(s[0] - k[0], 0), Math.max(s[1] - k[1], 0)];
      return activation(g, g.convTranspose(ins[0], wn, bn, { strides: s, pads, outputPadding }), c.activation, where);
    }
    case 'LeakyReLU':
      return g.leakyRelu(ins[0], Number(c.alpha));
    case 'ReLU':
      return g.relu(ins[0]);
    case 'Activation':
      return activation(g, ins[0], c.activation, where);
    case 'Dropout':
      return ins[0];
    case 'MaxPooling2D': {
      if (c.padding !== 'valid') throw new NunatakError('INPUT', `ONNX export: ${where} needs padding 'valid'`);
      return g.maxPool(ins[0], pair(c.poolSize), { strides: pair(c.strides ?? c.poolSize) });
    }
    case 'Concatenate': {
      const axis = Number(c.axis ?? -1);
      if (axis !== -1 && axis !== 3) throw new NunatakError('INPUT', `ONNX export: ${where} concatenates on axis ${axis}; only channels are supported`);
      return g.concat(ins, 1);
    }
    default:
      throw new NunatakError('INPUT', `ONNX export: ${where} is not supported`, {
        hint: 'supported: Conv2D, Conv2DTranspose, LeakyReLU, ReLU, Activation, Dropout, MaxPooling2D, Concatenate',
      });
  }
}
