/**
 * Turns a step model into a TimeLoop (earth2mip's `Inference`): normalise the
 * input, keep the normalised history window oldest-first, call the step
 * model, de-normalise its output, and carry the window in the restart token.
 */
import { NunatakError } from '../core/errors.js';
import { addDuration, type Duration } from './duration.js';
import { gridShape, type ModelGrid } from './grid.js';
import { base64ToF32, expectShape, f32ToBase64, type NdArray } from './array.js';
import { assertFinite } from './finite.js';
import type { LoopItem, RestartToken, TimeLoop } from './time-loop.js';

/** What a step model sees besides the tensor. */
export interface StepContext {
  /** Valid time of the newest input level (UTC). */
  time: Date;
  /** Step index about to be produced (1 for the first step). */
  step: number;
}

/**
 * One model step. `x` is [B, T, C, Y, X] normalised (oldest first); returns
 * [B, C_out, Y, X] normalised, out channels in `outChannels` order.
 */
export interface StepModel {
  step(x: NdArray, ctx: StepContext): Float32Array | Promise<Float32Array>;
  close?(): Promise<void>;
}

export interface InferenceOptions {
  name: string;
  inChannels: string[];
  outChannels: string[];
  grid: ModelGrid;
  nHistoryLevels: number;
  historyTimeStep: Duration;
  timeStep: Duration;
  /** Per in-channel centre and scale (physical units); identity when absent. */
  center?: Float32Array;
  scale?: Float32Array;
}

interface InferenceToken extends RestartToken {
  kind: 'inference';
  shape: number[];
  /** Normalised history window, float32 as base64 (bit-exact). */
  x: string;
}

export class Inference implements TimeLoop {
  readonly inChannels: string[];
  readonly outChannels: string[];
  readonly grid: ModelGrid;
  readonly nHistoryLevels: number;
  readonly historyTimeStep: Duration;
  readonly timeStep: Duration;
  /** Index into in-channels of each out channel. */
  private readonly outIdx: number[];
  /** Set by denormOut when the output has a NaN/Inf. */
  private nonFinite = false;

  constructor(
    private readonly model: StepModel,
    private readonly o: InferenceOptions,
  ) {
    this.inChannels = o.inChannels;
    this.outChannels = o.outChannels;
    this.grid = o.grid;
    this.nHistoryLevels = o.nHistoryLevels;
    this.historyTimeStep = o.historyTimeStep;
    this.timeStep = o.timeStep;
    const set = new Set(o.outChannels);
    if (set.size !== o.inChannels.length || !o.inChannels.every((c) => set.has(c))) {
      throw new NunatakError('CONFIG', `model ${o.name}: a wrapped step model needs the same in and out channels (in: ${o.inChannels.join(', ')}; out: ${o.outChannels.join(', ')})`);
    }
    this.outIdx = o.outChannels.map((c) => o.inChannels.indexOf(c));
  }

  private normalise(x: NdArray): Float32Array {
    const out = new Float32Array(x.data);
    const { center, scale } = this.o;
    if (!center || !scale) return out;
    const [, , C, Y, X] = x.shape;
    const npix = Y * X;
    for (let i = 0; i < out.length; i++) {
      const c = Math.floor(i / npix) % C;
      out[i] = (out[i] - center[c]) / scale[c];
    }
    return out;
  }

  /** Normalised [B, C_out, Y, X] (out order) → physical. */
  private denormOut(yn: Float32Array, B: number, npix: number): Float32Array {
    const { center, scale } = this.o;
    const nc = this.outChannels.length;
    const y = new Float32Array(B * nc * npix);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < nc; k++) {
        const ci = this.outIdx[k];
        const m = center ? center[ci] : 0;
        const s = scale ? scale[ci] : 1;
        const o = (b * nc + k) * npix;
        let probe = 0; // 0·v is NaN for NaN and ±Inf: one branch-free pass finds non-finite values
        for (let p = 0; p < npix; p++) {
          const v = yn[o + p] * s + m;
          y[o + p] = v;
          probe += v * 0;
        }
        if (probe !== 0) this.nonFinite = true;
      }
    }
    return y;
  }

  /** Newest level of the window, reordered to out channels: [B, C_out, Y, X] normalised. */
  private newest(w: Float32Array, B: number, npix: number): Float32Array {
    const T = this.nHistoryLevels;
    const C = this.inChannels.length;
    const nc = this.outChannels.length;
    const y = new Float32Array(B * nc * npix);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < nc; k++) {
        const src = ((b * T + T - 1) * C + this.outIdx[k]) * npix;
        y.set(w.subarray(src, src + npix), (b * nc + k) * npix);
      }
    }
    return y;
  }

  /**
   * The window is encoded only when the token is read (JSON.stringify and
   * structuredClone read it): most tokens are dropped unread, and encoding
   * every step would cost more than a small model's step. `w` is never
   * mutated after this (each step allocates a new window).
   */
  private token(step: number, time: Date, w: Float32Array, shape: number[]): InferenceToken {
    let x: string | undefined;
    const t = { kind: 'inference', step, time: time.toISOString(), shape: [...shape] } as InferenceToken;
    Object.defineProperty(t, 'x', { enumerable: true, get: () => (x ??= f32ToBase64(w)) });
    return t;
  }

  async *loop(time0: Date | null, x: NdArray | null, restart?: RestartToken): AsyncIterable<LoopItem> {
    const [ny, nx] = gridShape(this.grid);
    const npix = ny * nx;
    const C = this.inChannels.length;
    const T = this.nHistoryLevels;
    let w: Float32Array;
    let shape: number[];
    let time: Date;
    let step: number;
    if (restart) {
      if (restart.kind !== 'inference' || typeof (restart as InferenceToken).x !== 'string') {
        throw new NunatakError('INPUT', `model ${this.o.name}: restart token of kind '${restart.kind}' is not an inference token`);
      }
      const t = restart as InferenceToken;
      w = base64ToF32(t.x);
      shape = t.shape;
      expectShape({ data: w, shape }, [-1, T, C, ny, nx], `model ${this.o.name}: restart token`, 'B, T, C, Y, X');
      time = new Date(t.time);
      step = t.step;
    } else {
      if (!x || !time0) throw new NunatakError('INPUT', `model ${this.o.name}: loop() needs time0 and x, or a restart token`);
      expectShape(x, [-1, T, C, ny, nx], `model ${this.o.name}: input x`, 'B, T_hist, C, Y, X');
      w = this.normalise(x);
      shape = [...x.shape];
      time = time0;
      step = 0;
      yield { step, time, y: { data: this.denormOut(this.newest(w, shape[0], npix), shape[0], npix), shape: [shape[0], this.outChannels.length, ny, nx] }, restart: this.token(step, time, w, shape) };
    }
    const B = shape[0];
    const nc = this.outChannels.length;
    const level = C * npix;
    for (;;) {
      step += 1;
      const yn = await this.model.step({ data: w, shape }, { time, step });
      if (yn.length !== B * nc * npix) {
        throw new NunatakError('SHAPE', `model ${this.o.name}: step ${step} returned ${yn.length} values, expected ${B * nc * npix} = [${B}, ${nc}, ${ny}, ${nx}] (B, C_out, Y, X)`);
      }
      time = addDuration(time, this.timeStep);
      this.nonFinite = false;
      const y = this.denormOut(yn, B, npix);
      if (this.nonFinite) assertFinite(y, this.outChannels, npix, step, time, this.o.name); // throws, naming step and channel
      // Slide the window: drop the oldest level, append the new state (in-channel order).
      const next = new Float32Array(w.length);
      for (let b = 0; b < B; b++) {
        const base = b * T * level;
        next.set(w.subarray(base + level, base + T * level), base);
        for (let k = 0; k < nc; k++) {
          next.set(yn.subarray((b * nc + k) * npix, (b * nc + k + 1) * npix), base + (T - 1) * level + this.outIdx[k] * npix);
        }
      }
      w = next;
      yield { step, time, y: { data: y, shape: [B, nc, ny, nx] }, restart: this.token(step, time, w, shape) };
    }
  }

  async close(): Promise<void> {
    await this.model.close?.();
  }
}

