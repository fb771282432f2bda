/**
 * A step model backed by an ONNX file: input `x` [B, T, C, Y, X] float32
 * (the first graph input), optional input `time` float64 [B] (seconds since
 * 1970-01-01 UTC), output [B, C_out, Y, X] float32 (the first graph output).
 */
import { NunatakError } from '../core/errors.js';
import type { StepModel, StepContext } from './inference.js';
import type { NdArray } from './array.js';

export async function onnxStepModel(file: string, opts: { timeInput?: boolean; threads?: number } = {}): Promise<StepModel> {
  const ort = await import('onnxruntime-node');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(file, { intraOpNumThreads: opts.threads ?? 1, interOpNumThreads: 1 });
  } catch (e) {
    throw new NunatakError('IO', `${file}: ONNX Runtime cannot load the model (${(e as Error).message})`, { cause: e });
  }
  const xName = session.inputNames.find((n) => n !== 'time') ?? session.inputNames[0];
  const wantsTime = session.inputNames.includes('time');
  if (wantsTime !== Boolean(opts.timeInput)) {
    throw new NunatakError('CONFIG', `${file}: graph ${wantsTime ? 'has' : 'has no'} input 'time' but metadata.json time_input is ${Boolean(opts.timeInput)}`, { hint: `graph inputs: ${session.inputNames.join(', ')}` });
  }
  const outName = session.outputNames[0];
  return {
    async step(x: NdArray, ctx: StepContext): Promise<Float32Array> {
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { [xName]: new ort.Tensor('float32', x.data, x.shape) };
      if (wantsTime) feeds.time = new ort.Tensor('float64', new Float64Array(x.shape[0]).fill(ctx.time.getTime() / 1000), [x.shape[0]]);
      let out;
      try {
        out = await session.run(feeds);
      } catch (e) {
        throw new NunatakError('EXEC', `${file}: ONNX Runtime failed at step ${ctx.step} with input [${x.shape.join(', ')}] (${(e as Error).message})`, { cause: e });
      }
      return out[outName].data as Float32Array;
    },
    async close(): Promise<void> {
      await session.release();
    },
  };
}
