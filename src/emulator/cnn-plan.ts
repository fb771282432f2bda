/**
 * The layer plan of a plain conv stack (DLE's CNN): each Conv2D with 'same'
 * padding, stride 1, dilation 1 and an odd square kernel, followed by one
 * activation (LeakyReLU or ReLU) or none, and dropout of rate 0. This is
 * the shape the whole-step native trainer (`cnn-step-graph.ts`) handles; any
 * other model gets `null` and a reason, and trains on the TF.js path.
 */
import type { tf } from '../core/tensor/index.js';

export interface ConvStep {
  /** Layer name (the TF.js layer, for weight sync). */
  name: string;
  inChannels: number;
  outChannels: number;
  /** Odd square kernel size (pixels). */
  kernel: number;
  activation: 'linear' | 'relu' | 'lrelu';
  /** LeakyReLU slope (0 for ReLU and linear). */
  alpha: number;
}

export type CnnPlan = { ok: true; steps: ConvStep[] } | { ok: false; reason: string };

interface LayerCfg {
  padding?: string;
  strides?: number[];
  dilationRate?: number | number[];
  kernelSize?: number[];
  filters?: number;
  activation?: string;
  useBias?: boolean;
  rate?: number;
  alpha?: number;
}

const all1 = (v: number | number[] | undefined): boolean => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1);

/**
 * Follow the model's graph from its output back to its input (so a shared
 * activation object, as in DLE's Keras graph, counts after every conv it
 * follows); `ok: false` with a reason when any op falls outside the plain
 * conv stack.
 */
export function cnnPlan(model: tf.LayersModel): CnnPlan {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { ok: false, reason: 'the model has several inputs or outputs' };
  const chain: tf.layers.Layer[] = [];
  let t = model.outputs[0];
  while (t.sourceLayer.getClassName() !== 'InputLayer') {
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    if (node.inputTensors.length !== 1) return { ok: false, reason: `layer ${t.sourceLayer.name} has ${node.inputTensors.length} inputs` };
    chain.unshift(t.sourceLayer);
    t = node.inputTensors[0];
  }
  const steps: ConvStep[] = [];
  let channels = (model.inputs[0].shape[3] as number | null) ?? 0;
  for (const layer of chain) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as LayerCfg;
    if (cls === 'Conv2D') {
      const k = cfg.kernelSize ?? [];
      if (cfg.padding !== 'same' || !all1(cfg.strides) || !all1(cfg.dilationRate)) return { ok: false, reason: `conv ${layer.name} is not stride-1 'same'` };
      if (k.length !== 2 || k[0] !== k[1] || k[0] % 2 !== 1) return { ok: false, reason: `conv ${layer.name} kernel ${k} is not odd and square` };
      if (cfg.activation !== undefined && cfg.activation !== 'linear') return { ok: false, reason: `conv ${layer.name} has a built-in activation` };
      if (cfg.useBias === false) return { ok: false, reason: `conv ${layer.name} has no bias` };
      if (steps.some((s) => s.name === layer.name)) return { ok: false, reason: `conv ${layer.name} is used more than once` };
      steps.push({ name: layer.name, inChannels: channels, outChannels: cfg.filters ?? 0, kernel: k[0], activation: 'linear', alpha: 0 });
      channels = cfg.filters ?? 0;
    } else if (cls === 'LeakyReLU' || cls === 'ReLU') {
      const last = steps.at(-1);
      if (last === undefined || last.activation !== 'linear') return { ok: false, reason: `activation ${layer.name} does not follow a conv` };
      last.activation = cls === 'ReLU' ? 'relu' : 'lrelu';
      last.alpha = cls === 'ReLU' ? 0 : (cfg.alpha ?? 0.3);
    } else if (cls === 'Dropout') {
      if ((cfg.rate ?? 0) > 0) return { ok: false, reason: `dropout ${layer.name} has rate ${cfg.rate}` };
    } else {
      return { ok: false, reason: `layer ${layer.name} (${cls}) is not part of a plain conv stack` };
    }
  }
  if (steps.length === 0) return { ok: false, reason: 'no conv layers' };
  return { ok: true, steps };
}
