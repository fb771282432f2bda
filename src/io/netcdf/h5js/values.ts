/**
 * Element bytes → JavaScript values, matching what h5wasm hands out: numbers
 * in a native-order typed array, fixed-length strings cut at their first NUL,
 * variable-length strings from the global heap, object references as file
 * addresses.
 */
import { TYPED_ARRAY_CTORS } from '../../../core/dtype.js';
import { Hdf5Unsupported } from './file-bytes.js';
import type { GlobalHeap } from './global-heap.js';
import type { Datatype } from './messages.js';
import type { Superblock } from './superblock.js';

type Numeric = InstanceType<(typeof TYPED_ARRAY_CTORS)[keyof typeof TYPED_ARRAY_CTORS]>;

/** The typed-array constructor for an integer or float type, or undefined. */
export function numericCtor(t: Datatype): (typeof TYPED_ARRAY_CTORS)[keyof typeof TYPED_ARRAY_CTORS] | undefined {
  const bits = t.size * 8;
  if (t.cls === 1) return t.size === 4 ? TYPED_ARRAY_CTORS.float32 : t.size === 8 ? TYPED_ARRAY_CTORS.float64 : undefined;
  if (t.cls !== 0 || ![8, 16, 32, 64].includes(bits)) return undefined;
  return TYPED_ARRAY_CTORS[`${t.signed ? 'int' : 'uint'}${bits}` as 'int8'];
}

/** Reverse the bytes of each `size`-byte element in place (big-endian data on a little-endian host). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) buf.swap16();
  else if (size === 4) buf.swap32();
  else if (size === 8) buf.swap64();
}

/** `n` numeric elements from `bytes` into a fresh native-order typed array. */
export function numericValues(t: Datatype, bytes: Uint8Array, n: number): Numeric {
  const C = numericCtor(t);
  if (!C) throw new Hdf5Unsupported(`numeric type of class ${t.cls}, ${t.size} bytes`);
  const out = new C(n);
  const u8 = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  u8.set(bytes.subarray(0, n * t.size));
  if (t.bigEndian) swapBytes(u8, t.size);
  return out;
}

const decoders = { ascii: new TextDecoder('ascii'), utf8: new TextDecoder('utf-8') };

/** Fixed-length strings: each element cut at its first NUL. */
function fixedStrings(t: Datatype, bytes: Uint8Array, n: number): string[] {
  const out: string[] = [];
  const dec = t.utf8 ? decoders.utf8 : decoders.ascii;
  for (let i = 0; i < n; i++) {
    let e = bytes.subarray(i * t.size, (i + 1) * t.size);
    const z = e.indexOf(0);
    if (z >= 0) e = e.subarray(0, z);
    out.push(dec.decode(e));
  }
  return out;
}

/**
 * `n` elements of type `t`: a typed array for numbers, strings for string
 * types, and for variable-length sequences one array per element (object
 * references as addresses). Undefined for types outside the netCDF model.
 */
export function decodeValues(t: Datatype, bytes: Buffer, n: number, sb: Superblock, heap: GlobalHeap): Numeric | string[] | number[][] | undefined {
  if (t.cls === 0 || t.cls === 1) return numericCtor(t) ? numericValues(t, bytes, n) : undefined;
  if (t.cls === 3 && !t.vlen) return fixedStrings(t, bytes, n);
  const slot = 4 + sb.offsets + 4; // length, collection address, object index
  const heapRef = (i: number): [number, Buffer] => {
    const len = bytes.readUInt32LE(i * slot);
    let addr = 0;
    for (let k = sb.offsets - 1; k >= 0; k--) addr = addr * 256 + bytes[i * slot + 4 + k];
    const index = bytes.readUInt32LE(i * slot + 4 + sb.offsets);
    return [len, len === 0 && addr === 0 ? Buffer.alloc(0) : heap.object(addr, index)];
  };
  if (t.cls === 3 && t.vlen) {
    return Array.from({ length: n }, (_, i) => {
      const b = heapRef(i)[1];
      const z = b.indexOf(0);
      return (t.utf8 ? decoders.utf8 : decoders.ascii).decode(z >= 0 ? b.subarray(0, z) : b);
    });
  }
  if (t.cls === 9 && t.base?.cls === 7 && t.base.refType === 0) {
    return Array.from({ length: n }, (_, i) => {
      const [len, b] = heapRef(i);
      return Array.from({ length: len }, (_, k) => {
        let a = 0;
        for (let j = sb.offsets - 1; j >= 0; j--) a = a * 256 + b[k * sb.offsets + j];
        return a;
      });
    });
  }
  return undefined;
}
