/**
 * .npy arrays: one variable `array` with dims dim_0, dim_1, …; each read
 * fetches only the contiguous runs of the last axis the hyperslab covers.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readNpyHeader } from '../../io/index.js';
import type { ViewSource } from './source.js';

const SIZE: Record<string, number> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8 };

function decode(buf: Buffer, dtype: string, big: boolean, out: Float64Array, at: number): void {
  const n = buf.length / SIZE[dtype];
  for (let k = 0; k < n; k++) {
    const o = k * SIZE[dtype];
    let v: number;
    switch (dtype) {
      case 'bool':
      case 'uint8': v = buf.readUInt8(o); break;
      case 'int8': v = buf.readInt8(o); break;
      case 'int16': v = big ? buf.readInt16BE(o) : buf.readInt16LE(o); break;
      case 'uint16': v = big ? buf.readUInt16BE(o) : buf.readUInt16LE(o); break;
      case 'int32': v = big ? buf.readInt32BE(o) : buf.readInt32LE(o); break;
      case 'uint32': v = big ? buf.readUInt32BE(o) : buf.readUInt32LE(o); break;
      case 'int64': v = Number(big ? buf.readBigInt64BE(o) : buf.readBigInt64LE(o)); break;
      case 'uint64': v = Number(big ? buf.readBigUInt64BE(o) : buf.readBigUInt64LE(o)); break;
      case 'float32': v = big ? buf.readFloatBE(o) : buf.readFloatLE(o); break;
      default: v = big ? buf.readDoubleBE(o) : buf.readDoubleLE(o);
    }
    out[at + k] = v;
  }
}

export function openNpySource(path: string): ViewSource {
  const h = readNpyHeader(path);
  const dims = h.shape.map((n, k) => ({ name: `dim_${k}`, size: n }));
  const nd = h.shape.length;
  const fd = openSync(path, 'r');
  const esz = SIZE[h.dtype];
  return {
    kind: 'npy',
    format: `npy ${h.version}`,
    attrs: {},
    dims,
    vars: [{ name: 'array', dtype: h.dtype, dims: dims.map((d) => d.name), shape: h.shape, attrs: {}, map: nd >= 2 ? { y: nd - 2, x: nd - 1 } : undefined }],
    coords: () => ({}),
    read(_name, start, count) {
      const total = count.reduce((a, b) => a * b, 1);
      const out = new Float64Array(total);
      if (total === 0) return out;
      if (nd === 0) {
        const b = Buffer.alloc(esz);
        readSync(fd, b, 0, esz, h.dataOffset);
        decode(b, h.dtype, h.bigEndian, out, 0);
        return out;
      }
      const run = count[nd - 1];
      const buf = Buffer.alloc(run * esz);
      const idx = new Array<number>(nd - 1).fill(0);
      for (let r = 0; r < total / run; r++) {
        // flat offset of (start + idx, start_last) in C order
        let flat = 0;
        for (let d = 0; d < nd; d++) flat = flat * h.shape[d] + (d < nd - 1 ? start[d] + idx[d] : start[d]);
        readSync(fd, buf, 0, buf.length, h.dataOffset + flat * esz);
        decode(buf, h.dtype, h.bigEndian, out, r * run);
        for (let d = nd - 2; d >= 0; d--) {
          if (++idx[d] < count[d]) break;
          idx[d] = 0;
        }
      }
      return out;
    },
    close: () => closeSync(fd),
  };
}
