/**
 * Minimal .npy (NumPy format v1–v3) header reader and writer, for UDF datasets
 * and results. Little-endian, C order only.
 * (A full reader lives in src/io/npy once that lands; this one stays minimal.)
 */
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';
import { allocate, dtypeOf, type DType, type TypedArray } from './dtype.js';

const DESCR: Record<string, DType> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '|i1': 'int8',
  '|u1': 'uint8',
  '<i2': 'int16',
  '<u2': 'uint16',
  '<i4': 'int32',
  '<u4': 'uint32',
  '|b1': 'bool',
};

export interface NpyHeader {
  dtype: DType;
  shape: number[];
  /** Byte offset of the data. */
  offset: number;
}

export function readNpyHeader(path: string): NpyHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new NunatakError('NOT_FOUND', `cannot open .npy file '${path}': ${(e as Error).message}`, { cause: e });
  }
  try {
    const pre = Buffer.alloc(12);
    readSync(fd, pre, 0, 12, 0);
    if (pre.subarray(0, 6).toString('latin1') !== '\x93NUMPY') {
      throw new NunatakError('IO', `'${path}' is not a .npy file (bad magic)`);
    }
    const major = pre[6];
    const lenBytes = major === 1 ? 2 : 4;
    const hlen = major === 1 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
    const start = 8 + lenBytes;
    const h = Buffer.alloc(hlen);
    readSync(fd, h, 0, hlen, start);
    const text = h.toString(major === 3 ? 'utf8' : 'latin1');
    const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
    const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
    const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
    if (!descr || !fortran || shapeText === undefined) throw new NunatakError('IO', `'${path}': malformed .npy header: ${text.trim()}`);
    const dtype = DESCR[descr];
    if (!dtype) {
      throw new NunatakError('DTYPE', `'${path}': unsupported .npy dtype '${descr}'`, { hint: `supported: ${Object.keys(DESCR).join(' ')} (little-endian)` });
    }
    if (fortran === 'True') throw new NunatakError('IO', `'${path}': Fortran-ordered .npy files are not supported`, { hint: 'save with np.ascontiguousarray' });
    const shape = shapeText
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map(Number);
    return { dtype, shape, offset: start + hlen };
  } finally {
    closeSync(fd);
  }
}

const DESCR_OF: Record<DType, string> = Object.fromEntries(Object.entries(DESCR).map(([k, v]) => [v, k])) as Record<DType, string>;

/** Write a C-ordered array as .npy v1.0. */
export function writeNpy(path: string, data: TypedArray, shape: number[], dtype: DType = dtypeOf(data)!): void {
  const shp = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': ${shp}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

/** Read a whole (small) .npy file, e.g. a ROI mask. */
export function readNpy(path: string): { data: TypedArray; shape: number[]; dtype: DType } {
  const h = readNpyHeader(path);
  const n = h.shape.reduce((a, b) => a * b, 1);
  const data = allocate(h.dtype, n);
  const fd = openSync(path, 'r');
  try {
    const got = readSync(fd, new Uint8Array(data.buffer), 0, data.byteLength, h.offset);
    if (got !== data.byteLength) throw new NunatakError('IO', `'${path}': truncated .npy (expected ${data.byteLength} data bytes, got ${got})`);
  } finally {
    closeSync(fd);
  }
  return { data, shape: h.shape, dtype: h.dtype };
}
