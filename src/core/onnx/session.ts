/**
 * Thin typed wrapper over onnxruntime-node: sessions from a file or bytes,
 * float32 tensors that wrap nunatak Float32Arrays without copying, named
 * inputs/outputs with shape checks, and execution providers that fall back
 * to cpu with a logged reason.
 */
import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { NunatakError, didYouMean } from '../errors.js';
import { log } from '../log.js';

/** A float32 array with its C-order shape. */
export interface ShapedArray {
  data: Float32Array;
  shape: number[];
}

export interface OnnxSessionOptions {
  /** Intra-op threads (default: ONNX Runtime's choice, one per core). */
  threads?: number;
  /** Execution providers in preference order, e.g. ['cuda', 'cpu']; cpu is always appended. */
  providers?: string[];
  /** Graph optimisation level (default 'all'). */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** Execution providers compiled into this onnxruntime-node, and whether each is usable here. */
export function onnxProviders(): Array<{ name: string; usable: boolean; detail: string }> {
  return ort.listSupportedBackends().map((b) => ({
    name: b.name,
    usable: b.bundled,
    detail: b.bundled ? 'bundled' : 'needs an extra install (GPU libraries)',
  }));
}

/** Keep the providers that are usable here, log the rest, end with cpu. */
function pickProviders(asked: string[]): string[] {
  const avail = new Map(onnxProviders().map((p) => [p.name, p]));
  const out: string[] = [];
  for (const name of asked) {
    const p = avail.get(name);
    if (p === undefined) {
      log.warn(`ONNX Runtime provider '${name}' is not compiled in${didYouMean(name, avail.keys())}; falling back`, { provider: name });
    } else if (!p.usable) {
      log.warn(`ONNX Runtime provider '${name}' is not usable here (${p.detail}); falling back`, { provider: name });
    } else if (!out.includes(name)) {
      out.push(name);
    }
  }
  if (!out.includes('cpu')) out.push('cpu');
  return out;
}

export class OnnxSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** Providers the session was created with. */
    readonly providers: string[],
    private readonly source: string,
  ) {}

  /** Open a model from a .onnx file path or its bytes. */
  static async create(model: string | Uint8Array, opts: OnnxSessionOptions = {}): Promise<OnnxSession> {
    const source = typeof model === 'string' ? model : `<${model.byteLength} bytes>`;
    if (typeof model === 'string' && !existsSync(model)) {
      throw new NunatakError('NOT_FOUND', `ONNX model file ${model} does not exist`, { hint: 'pass the path of a .onnx file or its bytes' });
    }
    if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
      throw new NunatakError('CONFIG', `ONNX threads must be a positive integer, got ${opts.threads}`);
    }
    const providers = pickProviders(opts.providers ?? ['cpu']);
    const so: ort.InferenceSession.SessionOptions = {
      executionProviders: providers,
      graphOptimizationLevel: opts.optimization ?? 'all',
      ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
    };
    const open = (o: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> =>
      typeof model === 'string' ? ort.InferenceSession.create(model, o) : ort.InferenceSession.create(model, o);
    try {
      return new OnnxSession(await open(so), providers, source);
    } catch (e) {
      if (providers.length > 1) {
        log.warn(`ONNX Runtime could not open ${source} with providers ${providers.join(', ')} (${(e as Error).message}); retrying on cpu`);
        try {
          return new OnnxSession(await open({ ...so, executionProviders: ['cpu'] }), ['cpu'], source);
        } catch {
          // fall through to the error below, which names the model
        }
      }
      throw new NunatakError('IO', `ONNX Runtime could not load model ${source}: ${(e as Error).message}`, {
        hint: 'check that the file is an ONNX model (opset ≤ 21) and not truncated',
        cause: e,
      });
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Declared input shapes (symbolic dims as strings, e.g. 'batch'). */
  inputShape(name: string): ReadonlyArray<number | string> | undefined {
    const i = this.session.inputNames.indexOf(name);
    const m = this.session.inputMetadata[i];
    return m !== undefined && m.isTensor ? m.shape : undefined;
  }

  /**
   * Run the model. Feeds wrap the given Float32Arrays (no copy); outputs are
   * float32 arrays with shapes. `outputs` picks a subset (default: all).
   */
  async run(feeds: Record<string, ShapedArray>, outputs?: string[]): Promise<Record<string, ShapedArray>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of Object.keys(feeds)) {
      if (!this.inputNames.includes(name)) {
        throw new NunatakError('NOT_FOUND', `ONNX model ${this.source} has no input '${name}'${didYouMean(name, this.inputNames)}`, {
          hint: `inputs are ${this.inputNames.join(', ')}`,
        });
      }
    }
    for (const name of this.inputNames) {
      const f = feeds[name];
      if (f === undefined) {
        throw new NunatakError('INPUT', `ONNX model ${this.source} needs input '${name}', which was not given`, { hint: `inputs are ${this.inputNames.join(', ')}` });
      }
      const n = f.shape.reduce((a, b) => a * b, 1);
      if (n !== f.data.length) {
        throw new NunatakError('SHAPE', `input '${name}': shape [${f.shape}] holds ${n} values but the array has ${f.data.length}`);
      }
      const want = this.inputShape(name);
      if (want !== undefined && want.length > 0) {
        const ok = want.length === f.shape.length && want.every((d, i) => typeof d !== 'number' || d < 0 || d === f.shape[i]);
        if (!ok) {
          throw new NunatakError('SHAPE', `input '${name}' of ${this.source} has shape [${f.shape}], the model expects [${want.join(',')}]`);
        }
      }
      ortFeeds[name] = new ort.Tensor('float32', f.data, f.shape);
    }
    if (outputs !== undefined) {
      for (const o of outputs) {
        if (!this.outputNames.includes(o)) {
          throw new NunatakError('NOT_FOUND', `ONNX model ${this.source} has no output '${o}'${didYouMean(o, this.outputNames)}`, { hint: `outputs are ${this.outputNames.join(', ')}` });
        }
      }
    }
    const res = outputs === undefined ? await this.session.run(ortFeeds) : await this.session.run(ortFeeds, outputs);
    const out: Record<string, ShapedArray> = {};
    for (const [name, t] of Object.entries(res)) {
      if (t.type !== 'float32') throw new NunatakError('DTYPE', `output '${name}' of ${this.source} is ${t.type}; nunatak's wrapper reads float32 outputs`);
      out[name] = { data: t.data as Float32Array, shape: t.dims.slice() };
    }
    return out;
  }

  /** Free the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
