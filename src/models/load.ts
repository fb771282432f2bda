/** Package → TimeLoop: call the entrypoint, or wrap a step model / ONNX file with `Inference`. */
import { NunatakError } from '../core/errors.js';
import { resolveEntrypoint } from '../core/plugins/index.js';
import { Inference, type StepModel } from './inference.js';
import { onnxStepModel } from './onnx-step.js';
import { onnxMappedStepModel } from './onnx-mapped-step.js';
import { join } from 'node:path';
import { packageFile, type ModelPackage } from './package.js';
import { gridShape } from './grid.js';
import type { TimeLoop } from './time-loop.js';

/** An `entrypoint` export: builds a TimeLoop from the package and its kwargs. */
export type TimeLoopFactory = (pkg: ModelPackage, kwargs: Record<string, unknown>) => TimeLoop | Promise<TimeLoop>;
/** An `architecture_entrypoint` export: builds a step model from the package. */
export type StepModelFactory = (pkg: ModelPackage) => StepModel | Promise<StepModel>;

export interface LoadOptions {
  /** ONNX Runtime intra-op threads (default 1). */
  threads?: number;
}

function checkLoop(pkg: ModelPackage, loop: TimeLoop, entry: string): TimeLoop {
  const where = `model ${pkg.name}: entrypoint ${entry}`;
  if (!loop || typeof loop.loop !== 'function') throw new NunatakError('PLUGIN', `${where} did not return a time loop (an object with loop())`);
  const same = (a: string[] | undefined, b: string[]) => Array.isArray(a) && a.length === b.length && a.every((c, i) => c === b[i]);
  if (!same(loop.inChannels, pkg.inChannels) || !same(loop.outChannels, pkg.outChannels)) {
    throw new NunatakError('CONFIG', `${where}: the loop's channels (in: ${loop.inChannels}; out: ${loop.outChannels}) differ from metadata.json (in: ${pkg.inChannels}; out: ${pkg.outChannels})`);
  }
  const [a, b] = [gridShape(loop.grid), gridShape(pkg.grid)];
  if (a[0] !== b[0] || a[1] !== b[1]) throw new NunatakError('SHAPE', `${where}: the loop's grid ${a.join('×')} differs from metadata.json's ${b.join('×')}`);
  return loop;
}

/** Build the TimeLoop a package describes. */
export async function loadTimeLoop(pkg: ModelPackage, o: LoadOptions = {}): Promise<TimeLoop> {
  if (pkg.kind === 'entrypoint') {
    const ep = pkg.meta.entrypoint!;
    const { value } = await resolveEntrypoint<TimeLoopFactory>(ep.name, { baseDir: pkg.dir, expect: { type: 'function' } });
    return checkLoop(pkg, await value(pkg, ep.kwargs ?? {}), ep.name);
  }
  let model: StepModel;
  if (pkg.kind === 'onnx') {
    const file = packageFile(pkg.dir, pkg.meta.onnx!, 'onnx');
    const opts = { timeInput: pkg.meta.time_input, threads: o.threads };
    model = pkg.onnxMapping
      ? await onnxMappedStepModel(file, { ...opts, metaFile: join(pkg.dir, 'metadata.json'), mapping: pkg.onnxMapping, inChannels: pkg.inChannels, outChannels: pkg.outChannels, grid: gridShape(pkg.grid), nHistoryLevels: pkg.nHistoryLevels })
      : await onnxStepModel(file, opts);
  } else {
    const entry = pkg.meta.architecture_entrypoint!;
    const { value } = await resolveEntrypoint<StepModelFactory>(entry, { baseDir: pkg.dir, expect: { type: 'function' } });
    model = await value(pkg);
    if (!model || typeof model.step !== 'function') throw new NunatakError('PLUGIN', `model ${pkg.name}: ${entry} did not return a step model (an object with step(x, ctx))`);
  }
  return new Inference(model, {
    name: pkg.name,
    inChannels: pkg.inChannels,
    outChannels: pkg.outChannels,
    grid: pkg.grid,
    nHistoryLevels: pkg.nHistoryLevels,
    historyTimeStep: pkg.historyTimeStep,
    timeStep: pkg.timeStep,
    center: pkg.center,
    scale: pkg.scale,
  });
}
