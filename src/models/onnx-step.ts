/**
 * A step model backed by an ONNX file: input `x` [B, T, C, Y, X] float32
 * (the first graph input), optional input `time` float64 [B] (seconds since
 * 1970-01-01 UTC), output [B, C_out, Y, X] float32 (the first graph output).
 * Graphs with several named inputs/outputs go through `onnx-mapped-step.ts`.
 */
import { NunatakError } from '../core/errors.js';
import type { StepModel, StepContext } from './inference.js';
import type { NdArray } from './array.js';

type Ort = typeof import('onnxruntime-node');
export type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** Opens `file` and checks its `time` input against metadata.json's time_input. */
export async function openOnnx(file: string, opts: { timeInput?: boolean; threads?: number }): Promise<{ ort: Ort; session: OrtSession; wantsTime: boolean }> {
  const ort = await import('onnxruntime-node');
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(file, { intraOpNumThreads: opts.threads ?? 1, interOpNumThreads: 1 });
  } catch (e) {
    throw new NunatakError('IO', `${file}: ONNX Runtime cannot load the model (${(e as Error).message})`, { cause: e });
  }
  const wantsTime = session.inputNames.includes('time');
  if (wantsTime !== Boolean(opts.timeInput)) {
    await session.release();
    throw new NunatakError('CONFIG', `${file}: graph ${wantsTime ? 'has' : 'has no'} input 'time' but metadata.json time_input is ${Boolean(opts.timeInput)}`, { hint: `graph inputs: ${session.inputNames.join(', ')}` });
  }
  return { ort, session, wantsTime };
}

/** Valid times of a batch of `n` as ONNX's float64 `time` input (seconds since 1970). */
export function timeFeed(ort: Ort, ctx: StepContext, n: number): InstanceType<Ort['Tensor']> {
  return new ort.Tensor('float64', new Float64Array(n).fill(ctx.time.getTime() / 1000), [n]);
}

/** Runs the session, naming the file, step and input shapes when ONNX Runtime fails. */
export async function runOnnx(file: string, session: OrtSession, feeds: Parameters<OrtSession['run']>[0], ctx: StepContext, outputs?: string[]): Promise<Awaited<ReturnType<OrtSession['run']>>> {
  try {
    return outputs ? await session.run(feeds, outputs) : await session.run(feeds);
  } catch (e) {
    const shapes = Object.entries(feeds).map(([k, t]) => `${k} [${t.dims.join(', ')}]`).join(', ');
    throw new NunatakError('EXEC', `${file}: ONNX Runtime failed at step ${ctx.step} with input ${shapes} (${(e as Error).message})`, { cause: e });
  }
}

export async function onnxStepModel(file: string, opts: { timeInput?: boolean; threads?: number } = {}): Promise<StepModel> {
  const { ort, session, wantsTime } = await openOnnx(file, opts);
  const xName = session.inputNames.find((n) => n !== 'time') ?? session.inputNames[0];
  const outName = session.outputNames[0];
  return {
    async step(x: NdArray, ctx: StepContext): Promise<Float32Array> {
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = { [xName]: new ort.Tensor('float32', x.data, x.shape) };
      if (wantsTime) feeds.time = timeFeed(ort, ctx, x.shape[0]);
      const out = await runOnnx(file, session, feeds, ctx);
      return out[outName].data as Float32Array;
    },
    async close(): Promise<void> {
      await session.release();
    },
  };
}
