/**
 * One chunk of one rollout chain (an initial time × a batch of members),
 * run wherever the executor puts it: steps fromStep…toStep, outputs every
 * `every` steps, subset to the output channels/region. The first chunk builds
 * the perturbed batch; later chunks resume from the previous restart token.
 */
import { NunatakError } from '../core/errors.js';
import type { TaskContext } from '../exec/contract.js';
import { loadTimeLoop } from './load.js';
import { Inference } from './inference.js';
import { readPackage } from './package.js';
import { perturbedBatch, type PerturbationConfig } from './perturb/index.js';
import { assertFinite } from './finite.js';
import { gridShape } from './grid.js';
import type { RestartToken, TimeLoop } from './time-loop.js';

export interface Region {
  /** Row range [y0, y1) and column range [x0, x1) of the model grid. */
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

export interface ChainTaskInput {
  /** Absolute package folder. */
  model: string;
  threads?: number;
  start?: { time: string; x: Float32Array; shape: number[]; members: number[]; perturbation: PerturbationConfig };
  restart?: RestartToken;
  fromStep: number;
  toStep: number;
  every: number;
  /** Indices into the model's out channels of the channels to return. */
  outIdx: number[];
  region: Region;
}

export interface ChainTaskResult {
  items: Array<{ step: number; time: string; data: Float32Array }>;
  restart: RestartToken;
}

const loops = new Map<string, Promise<TimeLoop>>();

/** One loaded model per package and thread (ONNX sessions are expensive to create). */
function cachedLoop(dir: string, threads?: number): Promise<TimeLoop> {
  const key = `${dir}|${threads ?? 1}`;
  if (!loops.has(key)) {
    const p = (async () => loadTimeLoop(readPackage(dir), { threads }))();
    // a failed load is not kept: the retry after fixing the package loads it afresh
    p.catch(() => loops.delete(key));
    loops.set(key, p);
  }
  return loops.get(key)!;
}

function subset(y: Float32Array, B: number, C: number, ny: number, nx: number, outIdx: number[], r: Region): Float32Array {
  const ry = r.y1 - r.y0;
  const rx = r.x1 - r.x0;
  const out = new Float32Array(B * outIdx.length * ry * rx);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (const c of outIdx) {
      for (let j = r.y0; j < r.y1; j++) {
        const s = ((b * C + c) * ny + j) * nx;
        out.set(y.subarray(s + r.x0, s + r.x1), o);
        o += rx;
      }
    }
  }
  return out;
}

export async function runChain(input: ChainTaskInput, ctx?: TaskContext): Promise<ChainTaskResult> {
  const loop = await cachedLoop(input.model, input.threads);
  const [ny, nx] = gridShape(loop.grid);
  let it: AsyncIterable<import('./time-loop.js').LoopItem>;
  if (input.start) {
    const t0 = new Date(input.start.time);
    const xb = await perturbedBatch(loop, t0, { data: input.start.x, shape: input.start.shape }, input.start.perturbation, input.start.members);
    it = loop.loop(t0, xb);
  } else if (input.restart) {
    it = loop.loop(null, null, input.restart);
  } else {
    throw new NunatakError('INPUT', 'rollout task needs start or restart');
  }
  const items: ChainTaskResult['items'] = [];
  let restart: RestartToken | undefined;
  for await (const item of it) {
    if (ctx?.signal.aborted) throw new NunatakError('CANCELLED', 'rollout cancelled');
    const [B, C] = item.y.shape;
    // Inference loops check their own outputs; entrypoint loops are checked here.
    if (item.step > 0 && !(loop instanceof Inference)) assertFinite(item.y.data, loop.outChannels, ny * nx, item.step, item.time, input.model);
    if (item.step >= input.fromStep && item.step % input.every === 0) {
      items.push({ step: item.step, time: item.time.toISOString(), data: subset(item.y.data, B, C, ny, nx, input.outIdx, input.region) });
    }
    if (item.step >= input.toStep) {
      restart = item.restart;
      break;
    }
  }
  ctx?.progress({ step: input.toStep });
  return { items, restart: restart! };
}
