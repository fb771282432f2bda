/** Element types of datasets and UDF buffers, and numpy-like promotion. */
import { NunatakError } from '../core/errors.js';
import { TYPED_ARRAY_CTORS } from '../core/dtype.js';

export type DType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'bool'];

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

type Ctor = { new (n: number): TypedArray; new (b: ArrayBufferLike, off?: number, len?: number): TypedArray; BYTES_PER_ELEMENT: number };

// The core table (bool stored as Uint8Array); UDFs use its non-64-bit-integer subset.
const CTORS: Record<DType, Ctor> = TYPED_ARRAY_CTORS;

export function checkDtype(d: unknown, where: string): DType {
  if (typeof d === 'string' && (DTYPES as readonly string[]).includes(d)) return d as DType;
  throw new NunatakError('DTYPE', `${where}: unsupported dtype ${JSON.stringify(d)}`, { hint: `expected one of ${DTYPES.join(', ')}` });
}

export function ctorOf(d: DType): Ctor {
  return CTORS[d];
}

export function itemSize(d: DType): number {
  return CTORS[d].BYTES_PER_ELEMENT;
}

export function allocate(d: DType, n: number): TypedArray {
  return new CTORS[d](n);
}

/** The dtype a typed array holds ('uint8' for Uint8Array; bool is never inferred). */
export function dtypeOf(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  return undefined;
}

export function isFloat(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

/** Same storage type (bool and uint8 share Uint8Array). */
export function sameStorage(a: DType, b: DType): boolean {
  return CTORS[a] === CTORS[b];
}

/**
 * numpy `result_type(native, preferred)` restricted to what UDF inputs use:
 * 'native' keeps the dataset type; float32 is enough for ≤16-bit integers,
 * 32-bit integers and float64 need float64; bool becomes float32.
 */
export function inputDtype(native: DType, preferred: Array<DType | 'native'>): DType {
  let out: DType | undefined;
  for (const p of preferred) {
    if (p === 'native') continue;
    const cand: DType = p === 'float64' || native === 'float64' || native === 'int32' || native === 'uint32' ? 'float64' : 'float32';
    out = out === 'float64' || cand === 'float64' ? 'float64' : cand;
  }
  return out ?? native;
}
