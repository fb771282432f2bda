/**
 * Aux data: per-frame values passed as a UDF parameter and handed to the UDF
 * sliced to the current frame / tile / partition (ROI applied), like a nav buffer.
 */
import { NunatakError } from '../core/errors.js';
import { allocate, dtypeOf, type TypedArray } from './dtype.js';
import { prod } from './shape.js';

export interface AuxData {
  __nunatakAux: true;
  /** Full nav length × extra, C order. */
  data: TypedArray;
  extraShape: number[];
}

export function auxData(data: TypedArray, extraShape: number[] = []): AuxData {
  if (!dtypeOf(data)) throw new NunatakError('DTYPE', 'auxData: data must be a numeric typed array');
  return { __nunatakAux: true, data, extraShape };
}

export function isAux(v: unknown): v is AuxData {
  return typeof v === 'object' && v !== null && (v as AuxData).__nunatakAux === true;
}

export function checkAux(name: string, a: AuxData, navSize: number): void {
  const need = navSize * prod(a.extraShape);
  if (a.data.length !== need) {
    throw new NunatakError('SHAPE', `aux data parameter '${name}' has ${a.data.length} elements, expected nav size ${navSize} × extra ${prod(a.extraShape)} = ${need}`);
  }
}

/** The aux values of the given nav frames (a view when they are contiguous). */
export function sliceAux(a: AuxData, navIndices: Int32Array): TypedArray {
  const e = prod(a.extraShape);
  const n = navIndices.length;
  if (n === 0) return a.data.subarray(0, 0);
  const first = navIndices[0];
  if (navIndices[n - 1] - first === n - 1) return a.data.subarray(first * e, (first + n) * e);
  const out = allocate(dtypeOf(a.data)!, n * e);
  for (let k = 0; k < n; k++) (out as Float32Array).set(a.data.subarray(navIndices[k] * e, (navIndices[k] + 1) * e) as Float32Array, k * e);
  return out;
}
