/**
 * NumPy `.npy` files (format versions 1.0, 2.0, 3.0): read and write C-order
 * arrays of float32/64, int8–64, uint8–64 and bool. Fortran-order arrays and
 * other dtypes (float16, complex, strings, objects) are rejected with a clear
 * error. Big-endian files are byte-swapped on read; files are written
 * little-endian.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';
import { TYPED_ARRAY_CTORS } from '../../core/dtype.js';

export type NpyDType = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

export type NpyData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export interface NpyArray {
  dtype: NpyDType;
  /** Shape in C order ([] for a 0-d array). */
  shape: number[];
  /** Values in C order; bool arrays are Uint8Array of 0/1. */
  data: NpyData;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"

const KIND: Record<string, NpyDType> = {
  b1: 'bool',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  f4: 'float32',
  f8: 'float64',
};
/** numpy dtype strings (little-endian), as .npy headers and zarr format 2 write them. */
export const NUMPY_DESCR: Record<NpyDType, string> = {
  bool: '|b1',
  int8: '|i1',
  uint8: '|u1',
  int16: '<i2',
  uint16: '<u2',
  int32: '<i4',
  uint32: '<u4',
  int64: '<i8',
  uint64: '<u8',
  float32: '<f4',
  float64: '<f8',
};
const CTOR = TYPED_ARRAY_CTORS;

export interface NpyHeader {
  dtype: NpyDType;
  shape: number[];
  /** Format version, e.g. "1.0". */
  version: string;
  /** Byte offset of the data. */
  dataOffset: number;
  bigEndian: boolean;
}

/** Parse the header of .npy bytes (the data need not be present). */
export function parseNpyHeader(buf: Uint8Array, name = '<buffer>'): NpyHeader {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (msg: string) => new NunatakError('IO', `${name}: ${msg}`, { hint: 'expected a NumPy .npy file (np.save)' });
  if (b.length < 10 || !b.subarray(0, 6).equals(MAGIC)) throw bad('not a .npy file (no \\x93NUMPY magic)');
  const major = b[6];
  if (major < 1 || major > 3) throw bad(`unsupported .npy format version ${major}.${b[7]}`);
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  if (b.length < hstart + hlen) throw bad('truncated header');
  const header = b.toString(major === 3 ? 'utf8' : 'latin1', hstart, hstart + hlen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeTxt = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeTxt === undefined) throw bad(`malformed header ${header.trim()}`);
  if (fortran === 'True') {
    throw new NunatakError('DTYPE', `${name}: array is in Fortran (column-major) order`, {
      hint: 'save it in C order: np.save(path, np.ascontiguousarray(a))',
    });
  }
  const m = /^([<>|=])([a-zA-Z]\d+)$/.exec(descr);
  const dtype = m ? KIND[m[2]] : undefined;
  if (!m || !dtype) {
    throw new NunatakError('DTYPE', `${name}: unsupported dtype '${descr}'`, {
      hint: 'supported: bool, int8–int64, uint8–uint64, float32, float64',
    });
  }
  const shape = shapeTxt
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw bad(`malformed shape (${shapeTxt})`);
  return { dtype, shape, version: `${major}.${b[7]}`, dataOffset: hstart + hlen, bigEndian: m[1] === '>' };
}

/** A cut-short file: expected vs actual byte count. */
function truncated(name: string, h: { dtype: NpyDType; shape: number[] }, expected: number, actual: number): NunatakError {
  return new NunatakError('IO', `${name}: file is truncated: ${actual} bytes, expected ${expected} for a (${h.shape.join(', ')}) ${h.dtype} array`, {
    hint: 'the file was cut short, e.g. by an interrupted copy or download; write it again (np.save)',
  });
}

/** Read only the header of a .npy file (checking the file holds all the data it declares). */
export function readNpyHeader(path: string): NpyHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new NunatakError('NOT_FOUND', `${path}: cannot read (${(e as Error).message})`, { cause: e });
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, buf, 0, buf.length, 0);
    const h = parseNpyHeader(buf, path);
    // the header alone looks fine in a cut-short file: compare the size it implies
    const expected = h.dataOffset + h.shape.reduce((a, c) => a * c, 1) * CTOR[h.dtype].BYTES_PER_ELEMENT;
    if (size < expected) throw truncated(path, h, expected, size);
    return h;
  } finally {
    closeSync(fd);
  }
}

/** Parse the bytes of an .npy file; `name` is used in error messages. */
export function parseNpy(buf: Uint8Array, name = '<buffer>'): NpyArray {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { dtype, shape, dataOffset: start, bigEndian } = parseNpyHeader(buf, name);
  const n = shape.reduce((a, c) => a * c, 1);
  const C = CTOR[dtype];
  const nbytes = n * C.BYTES_PER_ELEMENT;
  if (b.length < start + nbytes) throw truncated(name, { dtype, shape }, start + nbytes, b.length);
  // Copy into an aligned buffer (the data offset need not be a multiple of the element size).
  const bytes = Buffer.from(b.subarray(start, start + nbytes));
  const big = bigEndian && C.BYTES_PER_ELEMENT > 1;
  if (big) {
    if (C.BYTES_PER_ELEMENT === 2) bytes.swap16();
    else if (C.BYTES_PER_ELEMENT === 4) bytes.swap32();
    else bytes.swap64();
  }
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + nbytes) as ArrayBuffer;
  return { dtype, shape, data: new C(ab) as NpyData };
}

/** Read a .npy file. */
export function readNpy(path: string): NpyArray {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new NunatakError('NOT_FOUND', `${path}: cannot read (${(e as Error).message})`, { cause: e });
  }
  return parseNpy(buf, path);
}

const dtypeOfArray = (a: NpyData): NpyDType => {
  for (const [k, C] of Object.entries(CTOR)) if (k !== 'bool' && a instanceof C) return k as NpyDType;
  throw new NunatakError('DTYPE', `cannot write ${(a as object).constructor.name} to .npy`);
};

/** Encode an array as .npy bytes (format 1.0, or 2.0 for very long headers). */
export function encodeNpy(data: NpyData, shape: number[] = [data.length], dtype: NpyDType = dtypeOfArray(data)): Buffer {
  const n = shape.reduce((a, c) => a * c, 1);
  if (n !== data.length) throw new NunatakError('SHAPE', `npy: shape [${shape.join(', ')}] needs ${n} values, got ${data.length}`);
  if (!(data instanceof CTOR[dtype])) throw new NunatakError('DTYPE', `npy: dtype '${dtype}' needs a ${CTOR[dtype].name}, got ${(data as object).constructor.name}`);
  if (dtype === 'bool' && (data as Uint8Array).some((x) => x > 1)) throw new NunatakError('INPUT', 'npy: bool array holds values other than 0 and 1');
  const shapeTxt = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${NUMPY_DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeTxt}, }`;
  let major = 1;
  let pre = 10;
  if (dict.length + 11 > 65535) {
    major = 2;
    pre = 12;
  }
  // Pad with spaces + newline so the data starts on a 64-byte boundary.
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const head = Buffer.alloc(pre);
  MAGIC.copy(head, 0);
  head[6] = major;
  head[7] = 0;
  if (major === 1) head.writeUInt16LE(dict.length, 8);
  else head.writeUInt32LE(dict.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), body]);
}

/** Write a .npy file (C order, little-endian). Pass dtype 'bool' with a Uint8Array of 0/1 for booleans. */
export function writeNpy(path: string, data: NpyData, shape?: number[], dtype?: NpyDType): void {
  writeFileSync(path, encodeNpy(data, shape, dtype));
}
