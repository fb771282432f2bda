/**
 * UDF result buffer declarations and the views the runner hands to
 * processFrame, processTile, processPartition, merge and getResults: `nav` buffers hold one entry (× extraShape) per
 * frame under the ROI, `sig` buffers one per signal element (× extraShape),
 * `single` buffers just extraShape.
 */
import { NunatakError, didYouMean } from '../core/errors.js';
import { allocate, checkDtype, dtypeOf, sameStorage, type DType, type TypedArray } from './dtype.js';
import { checkShape, prod } from './shape.js';

export type BufferKind = 'nav' | 'sig' | 'single';
export type BufferUse = 'private' | 'result_only';

export interface BufferSpec {
  kind: BufferKind;
  extraShape: number[];
  dtype: DType;
  use?: BufferUse;
  units?: string;
}

export interface BufferOptions {
  kind: BufferKind;
  extraShape?: number[];
  dtype?: DType;
  use?: BufferUse;
  /**
   * Units of the result (UDUNITS), written to the NetCDF results; `{input}`
   * stands for the input data's units (a sum of frames: '{input}', a variance:
   * '({input})2'). Omitted, or `{input}` with an input without units: none.
   */
  units?: string;
}

export function makeBufferSpec(o: BufferOptions, where: string): BufferSpec {
  if (!['nav', 'sig', 'single'].includes(o.kind)) {
    throw new NunatakError('CONFIG', `${where}: buffer kind must be 'nav', 'sig' or 'single', got ${JSON.stringify(o.kind)}`);
  }
  if (o.use !== undefined && o.use !== 'private' && o.use !== 'result_only') {
    throw new NunatakError('CONFIG', `${where}: buffer use must be 'private' or 'result_only', got ${JSON.stringify(o.use)}`);
  }
  return {
    kind: o.kind,
    extraShape: o.extraShape && o.extraShape.length > 0 ? checkShape(o.extraShape, `${where} extraShape`) : [],
    dtype: checkDtype(o.dtype ?? 'float32', where),
    use: o.use,
    ...(o.units !== undefined ? { units: o.units } : {}),
  };
}

/** Elements per nav / sig entry (the extra shape's size). */
export function extraSize(spec: BufferSpec): number {
  return prod(spec.extraShape);
}

/** Element count of a buffer for `navCount` frames and a signal of `sigSize`. */
export function bufferLength(spec: BufferSpec, navCount: number, sigSize: number): number {
  const e = extraSize(spec);
  if (spec.kind === 'nav') return navCount * e;
  if (spec.kind === 'sig') return sigSize * e;
  return e;
}

/** Allocate every non-result_only buffer. */
export function allocateBuffers(specs: Record<string, BufferSpec>, navCount: number, sigSize: number): Record<string, TypedArray> {
  const out: Record<string, TypedArray> = {};
  for (const [name, s] of Object.entries(specs)) {
    if (s.use === 'result_only') continue;
    out[name] = allocate(s.dtype, bufferLength(s, navCount, sigSize));
  }
  return out;
}

/** Check that `value` may be stored in buffer `name` of `spec` (same storage type and length). */
export function checkAssign(udfName: string, name: string, spec: BufferSpec, value: unknown, length: number): TypedArray {
  const dt = dtypeOf(value);
  if (!dt) {
    throw new NunatakError('DTYPE', `UDF ${udfName}: buffer '${name}' must be assigned a typed array, got ${value === null ? 'null' : typeof value}`);
  }
  if (!sameStorage(dt, spec.dtype)) {
    throw new NunatakError('DTYPE', `UDF ${udfName}: buffer '${name}' is declared ${spec.dtype} but was given ${dt} data`, {
      hint: `convert with ${spec.dtype === 'float64' ? 'Float64Array' : spec.dtype === 'float32' ? 'Float32Array' : 'the matching typed array'}.from(...) or change the declaration`,
    });
  }
  if ((value as TypedArray).length !== length) {
    throw new NunatakError('SHAPE', `UDF ${udfName}: buffer '${name}' (${spec.kind}, extraShape ${JSON.stringify(spec.extraShape)}) needs ${length} elements here, got ${(value as TypedArray).length}`);
  }
  return value as TypedArray;
}

/**
 * An object whose properties are the current views of the buffers: reading an
 * undeclared name is an error; assigning copies into the view (slice
 * assignment) after a dtype and length check.
 */
export function bufferAccessor(udfName: string, specs: Record<string, BufferSpec>, views: Map<string, TypedArray>): Record<string, TypedArray> {
  return new Proxy({} as Record<string, TypedArray>, {
    get(_t, key) {
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
      const v = views.get(key);
      if (v) return v;
      if (specs[key]?.use === 'result_only') {
        throw new NunatakError('CONFIG', `UDF ${udfName}: buffer '${key}' is result_only; it exists only in getResults' return value`);
      }
      throw new NunatakError('NOT_FOUND', `UDF ${udfName}: no buffer '${key}'${didYouMean(key, Object.keys(specs))}`, {
        hint: `declared buffers: ${Object.keys(specs).join(', ')}`,
      });
    },
    set(_t, key, value) {
      if (typeof key !== 'string' || !views.has(key)) {
        throw new NunatakError('NOT_FOUND', `UDF ${udfName}: cannot write undeclared buffer '${String(key)}'${didYouMean(String(key), Object.keys(specs))}`);
      }
      const view = views.get(key)!;
      view.set(checkAssign(udfName, key, specs[key], value, view.length) as Float32Array);
      return true;
    },
    has(_t, key) {
      return typeof key === 'string' && views.has(key);
    },
    ownKeys() {
      return [...views.keys()];
    },
    getOwnPropertyDescriptor(_t, key) {
      if (typeof key === 'string' && views.has(key)) return { enumerable: true, configurable: true, value: views.get(key) };
      return undefined;
    },
  });
}
