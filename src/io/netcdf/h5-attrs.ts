/**
 * Writing attributes the way netCDF-C expects them: text as fixed-length
 * strings (read back as NC_CHAR, like netCDF-C's own text attributes), numbers
 * with an explicit element type so `_FillValue` matches its variable.
 */
import type { H5 } from './h5.js';

export type NumericArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** An attribute to write: text, a number (int32 if integral, else float64), or a typed array (its own type). */
export type WriteAttr = string | number | number[] | NumericArray;

const TYPED_DTYPE: Record<string, string> = {
  Int8Array: '<b',
  Uint8Array: '<B',
  Int16Array: '<h',
  Uint16Array: '<H',
  Int32Array: '<i',
  Uint32Array: '<I',
  BigInt64Array: '<q',
  BigUint64Array: '<Q',
  Float32Array: '<f',
  Float64Array: '<d',
};

export function writeAttr(obj: H5.Dataset | H5.Group, name: string, value: WriteAttr): void {
  if (name in obj.attrs) obj.delete_attribute(name);
  if (typeof value === 'string') {
    const bytes = Buffer.byteLength(value, 'utf8');
    // 'A' = ASCII, 'S' = UTF-8; an empty string still needs a 1-byte type.
    const ascii = /^[\x20-\x7e\t\n\r]*$/.test(value);
    obj.create_attribute(name, value, null, `${ascii ? 'A' : 'S'}${Math.max(bytes, 1)}`);
    return;
  }
  if (ArrayBuffer.isView(value)) {
    obj.create_attribute(name, value, [value.length], TYPED_DTYPE[value.constructor.name]);
    return;
  }
  const arr = Array.isArray(value) ? value : [value];
  const int = arr.every((x) => Number.isInteger(x) && x >= -2147483648 && x <= 2147483647);
  const data = int ? Int32Array.from(arr) : Float64Array.from(arr);
  obj.create_attribute(name, data, Array.isArray(value) ? [arr.length] : null, int ? '<i' : '<d');
}
