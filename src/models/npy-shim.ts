/**
 * TEMPORARY: minimal little-endian float .npy reader until src/io/npy lands on
 * main; replace imports with '../io/npy/index.js' and delete this file then.
 */
import { readFileSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';

export function readNpy(path: string): { data: Float32Array | Float64Array; shape: number[] } {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new NunatakError('IO', `${path}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const off = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', off, off + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (/'fortran_order':\s*True/.test(header)) throw new NunatakError('IO', `${path}: Fortran-order arrays are not supported`);
  const n = shape.reduce((a, b) => a * b, 1);
  const body = buf.subarray(off + hlen);
  if (descr === '<f4') return { data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + 4 * n)), shape };
  if (descr === '<f8') return { data: new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + 8 * n)), shape };
  throw new NunatakError('DTYPE', `${path}: dtype ${descr} is not supported here (float32/float64 only)`);
}
