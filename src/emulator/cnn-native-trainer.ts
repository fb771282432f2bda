/**
 * Trains a plain conv stack with one ONNX Runtime call per step
 * (`cnn-step-graph.ts`): parameters and Adam moments live in Float32Arrays
 * here, double-buffered between steps, and go back into the TF.js model on
 * `syncToModel()` (each epoch end: validation, checkpoints, early stopping
 * and the saved files all read the TF.js model).
 */
import { hwioToOihw } from '../core/onnx/graph-builder.js';
import { SyncSession, nativeThreads, type Shaped } from '../core/native/sync-session.js';
import { tf } from '../core/tensor/index.js';
import type { ConvStep } from './cnn-plan.js';
import { blockedLayers, buildStepGraph, paramNames, type StepGraphOptions } from './cnn-step-graph.js';
import { nchwcBlockSize } from './nchwc.js';

/** ONNX Conv weight [O,I,KH,KW] → TF.js filter [KH,KW,I,O]. */
function oihwToHwio(w: Float32Array, [O, I, KH, KW]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) out[((kh * KW + kw) * I + i) * O + o] = w[((o * I + i) * KH + kh) * KW + kw];
  return out;
}

export interface NativeTrainerOptions extends Omit<StepGraphOptions, 'beta1' | 'beta2' | 'epsilon'> {
  learningRate: number;
  /** Intra-op threads for ONNX Runtime (default: NUNATAK_THREADS or one per core). */
  threads?: number;
  /** 'auto': channel-blocked NCHWc convolutions where the CPU and the layer shapes allow; 'nchw': plain NCHW Conv everywhere. */
  layout?: 'auto' | 'nchw';
}

/** Keras/TF.js Adam defaults as DLE uses them. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

export class CnnNativeTrainer {
  private readonly session: SyncSession;
  private cur: Record<string, Shaped> = {};
  private next: Record<string, Shaped> = {};
  private readonly scalars = { loss: new Float32Array(1), mae: new Float32Array(1), mse: new Float32Array(1) };
  private t = 0;
  /** The layout the step graph uses: 'nchwc16', 'nchwc8' or 'nchw'. */
  readonly layout: string;
  /** ONNX Runtime intra-op threads. */
  readonly threads: number;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly steps: ConvStep[],
    private readonly o: NativeTrainerOptions,
  ) {
    const bs = o.layout === 'nchw' ? 0 : nchwcBlockSize();
    this.layout = blockedLayers(steps, bs).some((b) => b) ? `nchwc${bs}` : 'nchw';
    const bytes = buildStepGraph(steps, { ...o, beta1: BETA1, beta2: BETA2, epsilon: EPSILON }, bs);
    this.threads = o.threads ?? nativeThreads();
    this.session = new SyncSession(bytes, [], this.threads);
    steps.forEach((s, l) => {
      const n = paramNames(l);
      const [kernel, bias] = model.getLayer(s.name).getWeights();
      const wdims = [s.outChannels, s.inChannels, s.kernel, s.kernel];
      const w = hwioToOihw(kernel.dataSync() as Float32Array, [s.kernel, s.kernel, s.inChannels, s.outChannels]);
      const b = Float32Array.from(bias.dataSync() as Float32Array);
      for (const [name, data, dims] of [
        [n.w, w, wdims],
        [n.b, b, [s.outChannels]],
        [n.mw, new Float32Array(w.length), wdims],
        [n.vw, new Float32Array(w.length), wdims],
        [n.mb, new Float32Array(b.length), [s.outChannels]],
        [n.vb, new Float32Array(b.length), [s.outChannels]],
      ] as const) {
        this.cur[name] = { data, dims: [...dims] };
        this.next[name] = { data: new Float32Array(data.length), dims: [...dims] };
      }
    });
  }

  /** One Adam step on a batch (channels-last x [B,p,p,nin], y [B,p,p,nout]); returns [loss, mae, mse] before the update. */
  step(x: Float32Array, y: Float32Array): [number, number, number] {
    this.t++;
    const { batch: B, patch: P } = this.o;
    const nin = this.steps[0].inChannels;
    const nout = this.steps[this.steps.length - 1].outChannels;
    const inputs: Record<string, Shaped> = {
      x: { data: x, dims: [B, P, P, nin] },
      y: { data: y, dims: [B, P, P, nout] },
      a1: { data: Float32Array.of(this.o.learningRate / (1 - BETA1 ** this.t)), dims: [1] },
      c2: { data: Float32Array.of(1 / (1 - BETA2 ** this.t)), dims: [1] },
      ...this.cur,
    };
    const outputs: Record<string, Shaped> = {
      loss: { data: this.scalars.loss, dims: [] },
      mae: { data: this.scalars.mae, dims: [] },
      mse: { data: this.scalars.mse, dims: [] },
    };
    for (const [k, v] of Object.entries(this.next)) outputs[`new_${k}`] = v;
    this.session.runInto(inputs, outputs);
    [this.cur, this.next] = [this.next, this.cur];
    return [this.scalars.loss[0], this.scalars.mae[0], this.scalars.mse[0]];
  }

  /** Current value of a parameter or Adam moment by its graph name (`w0`, `b0`, `mw0`, `vb3`, …; filters in ONNX [O,I,k,k] order). */
  tensor(name: string): Float32Array {
    const t = this.cur[name];
    if (t === undefined) throw new Error(`CnnNativeTrainer: no tensor '${name}'`);
    return t.data;
  }

  /** Copy the current parameters into the TF.js model's layers. */
  syncToModel(): void {
    this.steps.forEach((s, l) => {
      const n = paramNames(l);
      const w = this.cur[n.w];
      const layer = this.model.getLayer(s.name);
      const kernel = tf.tensor4d(oihwToHwio(w.data, w.dims), [s.kernel, s.kernel, s.inChannels, s.outChannels]);
      const bias = tf.tensor1d(this.cur[n.b].data.slice());
      layer.setWeights([kernel, bias]);
      kernel.dispose();
      bias.dispose();
    });
  }

  dispose(): void {
    this.session.dispose();
  }
}
