/**
 * A step model for an ONNX graph with several named inputs and outputs
 * (metadata.json `onnx_inputs` / `onnx_outputs`, see onnx-mapping.ts): each
 * call gathers every input tensor from the normalised state x[B, T, C, Y, X]
 * (in_channels order) and scatters every output tensor into
 * [B, C_out, Y, X] (out_channels order). When some tensor has no batch axis
 * (Pangu's graphs) or a fixed batch of 1, members are run one at a time.
 */
import { NunatakError } from '../core/errors.js';
import type { StepModel, StepContext } from './inference.js';
import type { NdArray } from './array.js';
import { openOnnx, runOnnx, timeFeed, type OrtSession } from './onnx-step.js';
import { planes, tensorShape, type OnnxMapping, type TensorMap } from './onnx-mapping.js';

export interface MappedStepOptions {
  /** metadata.json path (named in errors). */
  metaFile: string;
  mapping: OnnxMapping;
  inChannels: string[];
  outChannels: string[];
  /** [ny, nx] of the grid. */
  grid: [number, number];
  nHistoryLevels: number;
  timeInput?: boolean;
  threads?: number;
}

type Declared = { name: string; shape: ReadonlyArray<number | string> | undefined; type: string };

function declared(session: OrtSession, which: 'input' | 'output'): Declared[] {
  const names = which === 'input' ? session.inputNames : session.outputNames;
  const meta = which === 'input' ? session.inputMetadata : session.outputMetadata;
  return names.map((name, i) => {
    const m = meta[i];
    return m?.isTensor ? { name, shape: m.shape.length ? m.shape : undefined, type: m.type } : { name, shape: undefined, type: 'non-tensor' };
  });
}

const fmt = (d: Declared): string => `${d.name} ${d.shape ? `[${d.shape.join(', ')}]` : '(shape not declared)'} ${d.type}`;

/**
 * Checks one mapped tensor against the graph's declaration; returns whether
 * the graph fixes its batch axis at 1 (members then run one at a time).
 */
function checkTensor(o: MappedStepOptions, file: string, m: TensorMap, all: Declared[], which: 'input' | 'output'): boolean {
  const hint = `the ONNX model's ${which}s: ${all.map(fmt).join('; ')}`;
  const d = all.find((a) => a.name === m.name);
  if (!d) throw new NunatakError('CONFIG', `${o.metaFile}: ${m.key}: ${file} has no ${which} named '${m.name}'`, { hint });
  if (d.type !== 'float32') throw new NunatakError('DTYPE', `${o.metaFile}: ${m.key}: ${which} '${m.name}' of ${file} is ${d.type}; mapped tensors are float32`, { hint });
  const want = tensorShape(m, -1, o.grid[0], o.grid[1]);
  const wantText = `[${m.layout.map((a, i) => (a === 'batch' ? 'batch' : want[i])).join(', ')}]`;
  if (!d.shape) return false;
  const bad = d.shape.length !== want.length || d.shape.some((s, i) => typeof s === 'number' && s >= 0 && want[i] !== -1 && s !== want[i]);
  const batchAxis = m.layout.indexOf('batch');
  const fixed = batchAxis >= 0 ? d.shape[batchAxis] : undefined;
  if (bad || (typeof fixed === 'number' && fixed > 1)) {
    throw new NunatakError('SHAPE', `${o.metaFile}: ${m.key}.layout [${m.layout.join(', ')}] gives ${wantText} (grid ${o.grid.join('×')}), but ${file} declares ${which} '${m.name}' as [${d.shape.join(', ')}]`, { hint });
  }
  return typeof fixed === 'number' && fixed === 1;
}

/** Checks the mapping against the graph's inputs and outputs; returns whether members run one at a time. */
function checkGraph(o: MappedStepOptions, file: string, session: OrtSession): boolean {
  const { inputs, outputs } = o.mapping;
  const ins = declared(session, 'input');
  const outs = declared(session, 'output');
  let oneAtATime = false;
  for (const m of inputs) oneAtATime = checkTensor(o, file, m, ins, 'input') || oneAtATime;
  for (const m of outputs) oneAtATime = checkTensor(o, file, m, outs, 'output') || oneAtATime;
  const unfed = ins.filter((d) => d.name !== 'time' && !inputs.some((m) => m.name === d.name));
  if (unfed.length) {
    throw new NunatakError('CONFIG', `${o.metaFile}: onnx_inputs does not map the ONNX model's input${unfed.length > 1 ? 's' : ''} ${unfed.map((d) => `'${d.name}'`).join(', ')}`, { hint: `the ONNX model's inputs: ${ins.map(fmt).join('; ')}` });
  }
  return oneAtATime || [...inputs, ...outputs].some((m) => !m.layout.includes('batch'));
}

export async function onnxMappedStepModel(file: string, o: MappedStepOptions): Promise<StepModel> {
  const { ort, session, wantsTime } = await openOnnx(file, o);
  const { inputs, outputs } = o.mapping;
  let oneAtATime: boolean;
  try {
    oneAtATime = checkGraph(o, file, session);
  } catch (e) {
    await session.release();
    throw e;
  }
  const [ny, nx] = o.grid;
  const npix = ny * nx;
  const T = o.nHistoryLevels;
  const C = o.inChannels.length;
  const Cout = o.outChannels.length;
  const inIdx = (c: string) => o.inChannels.indexOf(c);
  const outIdx = (c: string) => o.outChannels.indexOf(c);
  const outNames = outputs.map((m) => m.name);
  const planeCache = new Map<string, ReturnType<typeof planes>>();
  const planesOf = (m: TensorMap, nb: number) => {
    const k = `${m.key}|${nb}`;
    if (!planeCache.has(k)) planeCache.set(k, planes(m, nb));
    return planeCache.get(k)!;
  };
  return {
    async step(x: NdArray, ctx: StepContext): Promise<Float32Array> {
      const B = x.shape[0];
      const y = new Float32Array(B * Cout * npix);
      const nb = oneAtATime ? 1 : B;
      for (let b0 = 0; b0 < B; b0 += nb) {
        const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
        for (const m of inputs) {
          const shape = tensorShape(m, nb, ny, nx);
          const data = new Float32Array(shape.reduce((p, s) => p * s, 1));
          planesOf(m, nb).forEach((p, k) => {
            const src = (((b0 + p.b) * T + p.t) * C + inIdx(p.channel)) * npix;
            data.set(x.data.subarray(src, src + npix), k * npix);
          });
          feeds[m.name] = new ort.Tensor('float32', data, shape);
        }
        if (wantsTime) feeds.time = timeFeed(ort, ctx, nb);
        const res = await runOnnx(file, session, feeds, ctx, outNames);
        for (const m of outputs) {
          const t = res[m.name];
          const shape = tensorShape(m, nb, ny, nx);
          if (t.dims.length !== shape.length || t.dims.some((d, i) => d !== shape[i])) {
            throw new NunatakError('SHAPE', `${file}: output '${m.name}' at step ${ctx.step} is [${t.dims.join(', ')}], ${o.metaFile} ${m.key}.layout [${m.layout.join(', ')}] gives [${shape.join(', ')}]`);
          }
          const data = t.data as Float32Array;
          planesOf(m, nb).forEach((p, k) => y.set(data.subarray(k * npix, (k + 1) * npix), ((b0 + p.b) * Cout + outIdx(p.channel)) * npix));
        }
      }
      return y;
    },
    async close(): Promise<void> {
      await session.release();
    },
  };
}
