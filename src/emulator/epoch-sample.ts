/**
 * The fixed validation sample shown live while training (`emulator train
 * --view`): after every epoch the model predicts the same patch — the first
 * validation patch — so TRUE | PRED | PRED − TRUE maps can be watched
 * converging, as DLE's per-epoch plots do.
 */
import type { tf } from '../core/tensor/index.js';
import type { CaseData } from './case-data.js';
import { Emulator, tfjsForward, type EmulatorMeta } from './emulator.js';
import { FIELD_UNITS } from './mapping.js';
import type { PatchRef } from './patches.js';

/** One output field of the sample, in physical units, p × p in C order (row = y index). */
export interface SampleField {
  name: string;
  units: string;
  truth: Float32Array;
  pred: Float32Array;
}

/** The sample as predicted after `epoch`. */
export interface EpochSample {
  epoch: number;
  /** Case name, frame and top-left cell (row j, column i) of the patch in that case's grid. */
  case: string;
  t: number;
  j: number;
  i: number;
  /** Patch size (cells); grid spacing (m). */
  p: number;
  dx: number;
  dy: number;
  outputs: SampleField[];
}

/** Field `name` of case `c`, frame `ref.t`, over the p × p patch at (ref.j, ref.i). */
function patchOf(c: CaseData, name: string, ref: PatchRef, p: number): Float32Array {
  const f = c.fields.get(name)!;
  const out = new Float32Array(p * p);
  const base = ref.t * c.ny * c.nx;
  for (let a = 0; a < p; a++) out.set(f.subarray(base + (ref.j + a) * c.nx + ref.i, base + (ref.j + a) * c.nx + ref.i + p), a * p);
  return out;
}

/**
 * A function that predicts patch `ref` of `cases` with `model` (its current
 * weights), in physical units, through the same Emulator.predict that
 * inference uses.
 */
export function epochSampler(cases: CaseData[], ref: PatchRef, p: number, meta: EmulatorMeta): (model: tf.LayersModel, epoch: number) => Promise<EpochSample> {
  const c = cases[ref.c];
  const inputs: Record<string, Float32Array> = {};
  for (const ch of meta.inputs) inputs[ch.name] = patchOf(c, ch.name, ref, p);
  const truth = meta.outputs.map((ch) => patchOf(c, ch.name, ref, p));
  return async (model, epoch) => {
    const pred = await new Emulator(meta, tfjsForward(model, meta.inputs.length)).predict(inputs, p, p);
    return {
      epoch, case: c.name, t: ref.t, j: ref.j, i: ref.i, p, dx: c.dx, dy: c.dy,
      outputs: meta.outputs.map((ch, k) => ({ name: ch.name, units: FIELD_UNITS[ch.name] ?? '', truth: truth[k], pred: pred[ch.name] })),
    };
  };
}
