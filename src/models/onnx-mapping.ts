/**
 * Named ONNX inputs and outputs (Pangu-style: an upper-air tensor and a
 * surface tensor) mapped to the model state's channels through
 * `onnx_inputs` / `onnx_outputs` in metadata.json. Each entry states the
 * tensor's axes (`layout`) and which channels it holds, in order:
 *
 *   "input":         {"layout": ["variable", "level", "y", "x"], "variables": ["z", "t"], "levels": [850, 500]}
 *   "input_surface": {"layout": ["channel", "y", "x"], "channels": ["msl", "t2m"]}
 *   "output":        {"like": "input"}
 *
 * A variable × level tensor holds the channels `${variable}${level}`
 * (z850, z500, t850, t500: earth2mip's names). The time loop gathers each
 * input from the state and scatters each output back, so rollouts,
 * ensembles, scores and outputs see ordinary channels.
 */
import { z } from 'zod';
import { NunatakError } from '../core/errors.js';

const AXES = ['batch', 'time', 'channel', 'variable', 'level', 'y', 'x'] as const;
export type Axis = (typeof AXES)[number];

export const tensorMapSchema = z.strictObject({
  /** Axes of the tensor, ending in y, x. */
  layout: z.array(z.enum(AXES)).min(3).optional(),
  channels: z.array(z.string().min(1)).min(1).optional(),
  variables: z.array(z.string().min(1)).min(1).optional(),
  levels: z.array(z.union([z.number(), z.string().min(1)])).min(1).optional(),
  /** onnx_outputs only: same layout and channels as this onnx_inputs entry. */
  like: z.string().min(1).optional(),
});
export const TENSOR_MAP_KEYS = Object.keys(tensorMapSchema.shape);

export const tensorMapsSchema = z.record(z.string().min(1), tensorMapSchema);
type RawTensorMap = z.infer<typeof tensorMapSchema>;

/** One ONNX input or output, resolved. */
export interface TensorMap {
  /** The ONNX graph's input/output name. */
  name: string;
  /** Where it is stated, e.g. `onnx_inputs.input_surface`. */
  key: string;
  layout: Axis[];
  /** Channel names in tensor order. */
  channels: string[];
  /** Size of each axis of `layout` (batch: -1, time: n_history + 1, y/x: 0 until the grid is known). */
  axisSize: Partial<Record<Axis, number>>;
  /** Index along the variable/level (or channel) axes → channel name. */
  channelAt: (idx: Partial<Record<Axis, number>>) => string;
}

export interface OnnxMapping {
  inputs: TensorMap[];
  outputs: TensorMap[];
}

function resolveOne(file: string, key: string, name: string, raw: RawTensorMap, nHistory: number, output: boolean): TensorMap {
  const where = `${file}: ${key}`;
  const layout = raw.layout;
  if (!layout) throw new NunatakError('CONFIG', `${where}: layout is missing`, { hint: 'e.g. "layout": ["channel", "y", "x"] or ["variable", "level", "y", "x"]' });
  const dup = layout.find((a, i) => layout.indexOf(a) !== i);
  if (dup) throw new NunatakError('CONFIG', `${where}.layout names '${dup}' twice`);
  if (layout.at(-2) !== 'y' || layout.at(-1) !== 'x') {
    throw new NunatakError('CONFIG', `${where}.layout [${layout.join(', ')}] must end with "y", "x" (the grid's rows and columns)`, { hint: 'for lat/lon grids y is latitude, x longitude' });
  }
  if (output && layout.includes('time')) throw new NunatakError('CONFIG', `${where}.layout has a "time" axis; an output holds one time level`);
  if (!output && nHistory > 0 && !layout.includes('time')) {
    throw new NunatakError('CONFIG', `${where}.layout has no "time" axis but n_history = ${nHistory}`, { hint: 'add "time" (oldest level first) to the layout' });
  }
  const hasVL = layout.includes('variable') || layout.includes('level');
  const axisSize: Partial<Record<Axis, number>> = { batch: -1, time: nHistory + 1, y: 0, x: 0 };
  let channels: string[];
  let channelAt: TensorMap['channelAt'];
  if (layout.includes('channel')) {
    if (hasVL) throw new NunatakError('CONFIG', `${where}.layout has both "channel" and "variable"/"level"; use one`);
    if (!raw.channels || raw.variables || raw.levels) throw new NunatakError('CONFIG', `${where}: a "channel" axis needs "channels" (and no "variables"/"levels")`);
    const ch = raw.channels;
    channels = ch;
    axisSize.channel = ch.length;
    channelAt = (i) => ch[i.channel ?? 0];
  } else if (hasVL) {
    if (!layout.includes('variable') || !layout.includes('level')) throw new NunatakError('CONFIG', `${where}.layout needs both "variable" and "level" (or a "channel" axis)`);
    if (!raw.variables || !raw.levels || raw.channels) throw new NunatakError('CONFIG', `${where}: "variable" and "level" axes need "variables" and "levels" (and no "channels")`);
    const vs = raw.variables;
    const ls = raw.levels.map(String);
    channels = vs.flatMap((v) => ls.map((l) => `${v}${l}`));
    axisSize.variable = vs.length;
    axisSize.level = ls.length;
    channelAt = (i) => `${vs[i.variable ?? 0]}${ls[i.level ?? 0]}`;
  } else {
    throw new NunatakError('CONFIG', `${where}.layout [${layout.join(', ')}] has no "channel" axis nor "variable" and "level" axes`);
  }
  const twice = channels.find((c, i) => channels.indexOf(c) !== i);
  if (twice) throw new NunatakError('CONFIG', `${where} holds channel '${twice}' twice`);
  return { name, key, layout, channels, axisSize, channelAt };
}

/** Checks that the tensors together hold each of `list` exactly once. */
function cover(file: string, what: string, maps: TensorMap[], list: string[], listKey: string): void {
  const seen = new Map<string, string>();
  for (const m of maps) {
    for (const c of m.channels) {
      const other = seen.get(c);
      if (other) throw new NunatakError('CONFIG', `${file}: channel '${c}' is in both ${other} and ${m.key}`);
      seen.set(c, m.key);
      if (!list.includes(c)) throw new NunatakError('CONFIG', `${file}: ${m.key} holds channel '${c}', which is not in ${listKey}`, { hint: `${listKey}: ${list.join(', ')}` });
    }
  }
  const missing = list.filter((c) => !seen.has(c));
  if (missing.length) throw new NunatakError('CONFIG', `${file}: ${listKey} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} in no ${what} tensor`, { hint: `${what} tensors: ${maps.map((m) => `${m.key} (${m.channels.length} channels)`).join(', ')}` });
}

/**
 * Resolves `onnx_inputs` / `onnx_outputs` (raw metadata) and checks them
 * against the channel lists: every in channel in exactly one input, every
 * out channel in exactly one output. Channel lists left out of metadata.json
 * are taken from the mapping, in its order.
 */
export function resolveMapping(
  file: string,
  rawIn: Record<string, RawTensorMap>,
  rawOut: Record<string, RawTensorMap>,
  nHistory: number,
  inChannels: string[] | undefined,
  outChannels: string[] | undefined,
): OnnxMapping & { inChannels: string[]; outChannels: string[] } {
  const inputs = Object.entries(rawIn).map(([name, raw]) => {
    if (raw.like !== undefined) throw new NunatakError('CONFIG', `${file}: onnx_inputs.${name}.like is only for onnx_outputs`);
    return resolveOne(file, `onnx_inputs.${name}`, name, raw, nHistory, false);
  });
  if (inputs.length === 0) throw new NunatakError('CONFIG', `${file}: onnx_inputs is empty`);
  if (inputs.some((m) => m.name === 'time')) throw new NunatakError('CONFIG', `${file}: onnx_inputs.time: the input 'time' is fed by time_input, not by channels`);
  const outputs = Object.entries(rawOut).map(([name, raw]) => {
    const key = `onnx_outputs.${name}`;
    if (raw.like === undefined) return resolveOne(file, key, name, raw, nHistory, true);
    if (Object.keys(raw).length > 1) throw new NunatakError('CONFIG', `${file}: ${key}: "like" stands alone (no layout/channels beside it)`);
    const src = rawIn[raw.like];
    if (!src) throw new NunatakError('CONFIG', `${file}: ${key}.like '${raw.like}' is not an onnx_inputs entry`, { hint: `onnx_inputs: ${Object.keys(rawIn).join(', ')}` });
    return resolveOne(file, key, name, { ...src, layout: src.layout?.filter((a) => a !== 'time') }, nHistory, true);
  });
  if (outputs.length === 0) throw new NunatakError('CONFIG', `${file}: onnx_outputs is empty`);
  const ins = inChannels ?? inputs.flatMap((m) => m.channels);
  const outs = outChannels ?? outputs.flatMap((m) => m.channels);
  cover(file, 'onnx_inputs', inputs, ins, 'in_channels');
  cover(file, 'onnx_outputs', outputs, outs, 'out_channels');
  return { inputs, outputs, inChannels: ins, outChannels: outs };
}

/** The tensor's shape for a batch of `B` on an ny × nx grid. */
export function tensorShape(m: TensorMap, B: number, ny: number, nx: number): number[] {
  return m.layout.map((a) => (a === 'batch' ? B : a === 'y' ? ny : a === 'x' ? nx : m.axisSize[a]!));
}

/** Leading (non-y/x) blocks of a tensor in C order: (batch index, time index, channel) of each ny·nx plane. */
export function planes(m: TensorMap, B: number): Array<{ b: number; t: number; channel: string }> {
  const lead = m.layout.slice(0, -2);
  const sizes = lead.map((a) => (a === 'batch' ? B : m.axisSize[a]!));
  const n = sizes.reduce((p, s) => p * s, 1);
  const T = m.axisSize.time!;
  const out: Array<{ b: number; t: number; channel: string }> = [];
  const idx: Partial<Record<Axis, number>> = {};
  for (let k = 0; k < n; k++) {
    let r = k;
    for (let a = lead.length - 1; a >= 0; a--) {
      idx[lead[a]] = r % sizes[a];
      r = Math.floor(r / sizes[a]);
    }
    // no time axis: the newest level (the only one when n_history = 0)
    out.push({ b: idx.batch ?? 0, t: lead.includes('time') ? idx.time! : T - 1, channel: m.channelAt(idx) });
  }
  return out;
}
