/**
 * Deterministic and ensemble rollouts through the executor seam.
 *
 * The work is split into chains (initial time × batch of members). Every
 * round submits one chunk task (`chunkSteps` steps) per unfinished chain,
 * writes the returned outputs to the sink as they arrive and records each
 * chain's restart token, so a rollout is never held in memory and an
 * interrupted run resumes from the last written chunk.
 */
import { NunatakError } from '../core/errors.js';
import type { Executor, TaskSpec } from '../exec/contract.js';
import { addDuration } from './duration.js';
import { gridShape } from './grid.js';
import { initialState, preflight, historyTimes, type DataSource } from './datasource.js';
import type { ModelPackage } from './package.js';
import type { PerturbationConfig } from './perturb/index.js';
import type { ChainTaskInput, ChainTaskResult, Region } from './rollout-task.js';
import type { RestartToken } from './time-loop.js';
import { siblingFile } from '../core/plugins/index.js';

export interface RolloutPlan {
  pkg: ModelPackage;
  startTimes: Date[];
  /** Number of model steps after the initial state. */
  steps: number;
  members: number;
  batchSize: number;
  perturbation: PerturbationConfig;
  /** Write every k-th step (lead 0 always). */
  every: number;
  /** Output channels (default all out channels). */
  channels: string[];
  region: Region;
  /** Steps per task (bounds memory per task). */
  chunkSteps: number;
  /** ONNX Runtime threads per task. */
  threads?: number;
}

/** Where outputs go; `leadIndex` = step / every. `data` is [B, C_sel, ry, rx]. */
export interface RolloutSink {
  write(timeIndex: number, member0: number, nMembers: number, leadIndex: number, data: Float32Array): Promise<void> | void;
  /** Persist progress after each round (for resume). */
  saveProgress(p: RolloutProgress): Promise<void> | void;
}

export interface ChainState {
  timeIndex: number;
  members: number[];
  /** Last step done (−1: not started). */
  done: number;
  restart?: RestartToken;
}

export interface RolloutProgress {
  chains: ChainState[];
}

export const CHAIN_ENTRY = `${siblingFile(import.meta.url, './rollout-task')}#runChain`;

/** Lead times written: 0, every, 2·every, … ≤ steps. */
export function outputSteps(plan: Pick<RolloutPlan, 'steps' | 'every'>): number[] {
  const out: number[] = [];
  for (let k = 0; k <= plan.steps; k += plan.every) out.push(k);
  return out;
}

export function initialChains(plan: RolloutPlan): ChainState[] {
  const chains: ChainState[] = [];
  plan.startTimes.forEach((_, ti) => {
    for (let m0 = 0; m0 < plan.members; m0 += plan.batchSize) {
      chains.push({ timeIndex: ti, members: Array.from({ length: Math.min(plan.batchSize, plan.members - m0) }, (_, i) => m0 + i), done: -1 });
    }
  });
  return chains;
}

/** Checks channels and times in the source for every start time before any compute. */
export function preflightRollout(plan: RolloutPlan, src: DataSource): void {
  const times = plan.startTimes.flatMap((t) => historyTimes(plan.pkg, t));
  preflight(src, plan.pkg.inChannels, times, `model ${plan.pkg.name} (initial conditions)`);
}

export async function runRollout(plan: RolloutPlan, src: DataSource, executor: Executor, sink: RolloutSink, opts: { resume?: RolloutProgress; onStep?: (done: number, total: number) => void } = {}): Promise<RolloutProgress> {
  const { pkg } = plan;
  if (plan.steps < 0 || plan.every < 1 || plan.members < 1 || plan.batchSize < 1 || plan.chunkSteps < 1) {
    throw new NunatakError('CONFIG', 'rollout: steps ≥ 0, output frequency ≥ 1, members ≥ 1, batch_size ≥ 1 and chunk_steps ≥ 1 are required');
  }
  preflightRollout(plan, src);
  const [ny, nx] = gridShape(pkg.grid);
  const r = plan.region;
  if (!(r.y0 >= 0 && r.y1 <= ny && r.y0 < r.y1 && r.x0 >= 0 && r.x1 <= nx && r.x0 < r.x1)) {
    throw new NunatakError('CONFIG', `rollout: output region y [${r.y0}, ${r.y1}) x [${r.x0}, ${r.x1}) is not inside the ${ny}×${nx} grid`);
  }
  const outIdx = plan.channels.map((c) => {
    const i = pkg.outChannels.indexOf(c);
    if (i < 0) throw new NunatakError('CONFIG', `rollout: output channel '${c}' is not a model out_channel`, { hint: `out_channels: ${pkg.outChannels.join(', ')}` });
    return i;
  });
  const chains = opts.resume?.chains ?? initialChains(plan);
  const total = chains.length * (plan.steps + 1);
  const ids = (c: ChainState) => `t${c.timeIndex}-m${c.members[0]}-${c.done + 1}`;
  for (;;) {
    const open = chains.filter((c) => c.done < plan.steps);
    if (open.length === 0) break;
    const tasks: Array<TaskSpec<ChainTaskInput>> = [];
    const byId = new Map<string, ChainState>();
    for (const c of open) {
      const fromStep = c.done + 1;
      const toStep = Math.min(plan.steps, c.done + plan.chunkSteps);
      const base = { model: pkg.dir, threads: plan.threads, fromStep, toStep, every: plan.every, outIdx, region: r };
      let input: ChainTaskInput;
      if (c.done < 0) {
        const t0 = plan.startTimes[c.timeIndex];
        const x = await initialState(src, pkg, t0);
        input = { ...base, start: { time: t0.toISOString(), x: x.data, shape: x.shape, members: c.members, perturbation: plan.perturbation } };
      } else {
        input = { ...base, restart: c.restart };
      }
      const id = ids(c);
      byId.set(id, c);
      tasks.push({ id, entry: CHAIN_ENTRY, input });
    }
    for await (const { task, result } of executor.runTasks<ChainTaskInput, ChainTaskResult>(tasks)) {
      const c = byId.get(task.id)!;
      for (const item of result.items) {
        const want = addDuration(plan.startTimes[c.timeIndex], pkg.timeStep, item.step).toISOString();
        if (item.time !== want) throw new NunatakError('EXEC', `rollout: chain ${task.id} returned time ${item.time} for step ${item.step}, expected ${want}`);
        await sink.write(c.timeIndex, c.members[0], c.members.length, item.step / plan.every, item.data);
      }
      c.done = task.input.toStep;
      c.restart = result.restart;
    }
    await sink.saveProgress({ chains });
    opts.onStep?.(chains.reduce((a, c) => a + c.done + 1, 0), total);
  }
  return { chains };
}
