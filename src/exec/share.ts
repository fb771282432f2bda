/**
 * Put the large typed arrays of broadcast parameters into SharedArrayBuffers,
 * once, so every worker thread reads the same memory instead of a copy.
 */

/** Typed arrays at least this big (bytes) are moved into shared memory. */
export const SHARE_MIN_BYTES = 64 * 1024;

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** A copy of `a` backed by a SharedArrayBuffer (same type and length). */
export function shareTypedArray<T extends TypedArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const sab = new SharedArrayBuffer(a.byteLength);
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(sab);
  (out as unknown as { set(x: T): void }).set(a);
  return out;
}

/**
 * Walk plain objects, arrays and Maps; replace typed arrays ≥ `minBytes` with
 * shared copies. Other values are kept as they are (structured clone copies them).
 */
export function shareLargeArrays<T>(value: T, minBytes = SHARE_MIN_BYTES): T {
  const seen = new Map<unknown, unknown>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    if (isTypedArray(v)) {
      const r = v.byteLength >= minBytes ? shareTypedArray(v) : v;
      seen.set(v, r);
      return r;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      seen.set(v, out);
      for (const [k, x] of v) out.set(k, walk(x));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
