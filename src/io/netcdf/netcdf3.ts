/**
 * NetCDF3 (classic and 64-bit offset) backend. The header is parsed by
 * `netcdfjs` from a prefix of the file (grown until it parses), and values are
 * read with positioned reads of only the bytes a hyperslab needs, so a large
 * file is never loaded whole.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NetCDFReader } from 'netcdfjs';
import { NunatakError } from '../../core/errors.js';
import type { Attrs, AttrValue, Backend, DType, DimInfo, NcFormat, RawArray, VarInfo } from './types.js';

const NC3_TYPES: Record<string, { dtype: DType; size: number }> = {
  byte: { dtype: 'int8', size: 1 },
  char: { dtype: 'char', size: 1 },
  short: { dtype: 'int16', size: 2 },
  int: { dtype: 'int32', size: 4 },
  float: { dtype: 'float32', size: 4 },
  double: { dtype: 'float64', size: 8 },
};

interface Nc3Var extends VarInfo {
  begin: number;
  record: boolean;
  elemSize: number;
}

interface RawAttr {
  name: string;
  type: string;
  value: number | string | number[];
}

function attrTypes(list: RawAttr[]): Record<string, DType> {
  return Object.fromEntries(list.map((a) => [a.name, NC3_TYPES[a.type]?.dtype ?? 'char']));
}

function convertAttrs(list: RawAttr[]): Attrs {
  const out: Attrs = {};
  for (const a of list) {
    let v: AttrValue = a.value;
    // netcdfjs returns byte attributes as unsigned bytes; NC_BYTE is signed.
    if (a.type === 'byte') {
      const arr = (Array.isArray(a.value) ? a.value : [a.value as number]).map((b) => (b > 127 ? b - 256 : b));
      v = arr.length === 1 ? arr[0] : arr;
    }
    out[a.name] = v;
  }
  return out;
}

export class Netcdf3Backend implements Backend {
  readonly format: NcFormat;
  readonly dims: DimInfo[];
  readonly vars: Nc3Var[];
  readonly attrs: Attrs;
  readonly attrTypes: Record<string, DType>;
  private fd: number;
  private recSize: number;
  private fileSize: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.fileSize = fstatSync(this.fd).size;
      const reader = this.parseHeader();
      this.format = reader.header.version === 2 ? 'netcdf3-64bit-offset' : 'netcdf3-classic';
      const rec = reader.header.recordDimension;
      if (rec.length === 0xffffffff) {
        throw new NunatakError('IO', `${path}: NetCDF3 streaming record count is not supported`, {
          hint: 'rewrite the file with nccopy',
        });
      }
      this.dims = reader.header.dimensions.map((d, i) => ({
        name: d.name,
        size: i === rec.id ? rec.length : d.size,
        unlimited: i === rec.id,
      }));
      this.attrs = convertAttrs(reader.header.globalAttributes as RawAttr[]);
      this.attrTypes = attrTypes(reader.header.globalAttributes as RawAttr[]);
      this.vars = reader.header.variables.map((v) => {
        const t = NC3_TYPES[v.type];
        if (!t) throw new NunatakError('DTYPE', `${path}: variable '${v.name}' has unknown NetCDF3 type '${v.type}'`);
        const dims = v.dimensions.map((id) => this.dims[id].name);
        return {
          name: v.name,
          dtype: t.dtype,
          dims,
          shape: v.dimensions.map((id) => this.dims[id].size),
          attrs: convertAttrs(v.attributes as RawAttr[]),
          attrTypes: attrTypes(v.attributes as RawAttr[]),
          begin: v.offset,
          record: v.record,
          elemSize: t.size,
        };
      });
      // Record size: sum of padded vsizes, except a lone record variable is unpadded (NetCDF3 spec).
      const recVars = this.vars.filter((v) => v.record);
      const unpadded = (v: Nc3Var) => v.shape.slice(1).reduce((a, b) => a * b, 1) * v.elemSize;
      this.recSize =
        recVars.length === 1 ? unpadded(recVars[0]) : recVars.reduce((s, v) => s + Math.ceil(unpadded(v) / 4) * 4, 0);
      this.checkExtent();
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  /** Parse the header from a growing prefix: headers are usually a few kB. */
  private parseHeader(): NetCDFReader {
    let n = Math.min(this.fileSize, 65536);
    for (;;) {
      const buf = Buffer.alloc(n);
      readSync(this.fd, buf, 0, n, 0);
      try {
        return new NetCDFReader(buf);
      } catch (e) {
        if (n >= this.fileSize) {
          throw new NunatakError('IO', `${this.path}: malformed NetCDF3 header (${(e as Error).message})`, {
            hint: 'the file is truncated or not a NetCDF file',
            cause: e,
          });
        }
        n = Math.min(this.fileSize, n * 4);
      }
    }
  }

  /** A truncated file is caught at open time: the last variable must end inside the file. */
  private checkExtent(): void {
    let end = 0;
    for (const v of this.vars) {
      const n = (v.record ? v.shape.slice(1) : v.shape).reduce((a, b) => a * b, 1) * v.elemSize;
      const nrec = v.record ? v.shape[0] : 0;
      const last = v.record ? (nrec > 0 ? v.begin + (nrec - 1) * this.recSize + n : 0) : v.begin + n;
      end = Math.max(end, last);
    }
    if (end > this.fileSize) {
      throw new NunatakError('IO', `${this.path}: file is truncated (${this.fileSize} bytes, data needs ${end})`, {
        hint: 'the file was cut short, e.g. by an interrupted copy or download',
      });
    }
  }

  readRaw(vi: VarInfo, start: number[], count: number[]): RawArray {
    const v = vi as Nc3Var;
    const total = count.reduce((a, b) => a * b, 1);
    const es = v.elemSize;
    // Reads below fill every byte, so skip the zero fill; the buffer owns its
    // ArrayBuffer at offset 0, so any typed-array view over it is aligned.
    const out = Buffer.allocUnsafeSlow(total * es);
    if (total > 0) {
      const nd = v.shape.length;
      // Byte strides of one step along each dim within a record (or the whole var).
      const strides = new Array<number>(nd).fill(es);
      for (let d = nd - 2; d >= 0; d--) strides[d] = strides[d + 1] * v.shape[d + 1];
      // Records of the only record variable follow each other with no gap, so the
      // record dim is an ordinary dim; otherwise records interleave with other variables.
      const interleaved = v.record && this.recSize !== strides[0];
      if (interleaved) strides[0] = this.recSize;
      // Dims k.. form one contiguous run: the innermost always, more while they are
      // read whole; never an interleaved record dim.
      const minK = interleaved ? 1 : 0;
      let k = nd;
      let run = 1;
      if (nd > minK) {
        k = nd - 1;
        run = count[k];
      }
      while (k > minK && start[k] === 0 && count[k] === v.shape[k]) {
        k--;
        run *= count[k];
      }
      const runBytes = run * es;
      const idx = new Array<number>(Math.max(k, 0)).fill(0);
      let pos = 0;
      for (;;) {
        let off = v.begin;
        for (let d = 0; d < k; d++) off += (start[d] + idx[d]) * strides[d];
        if (k < nd) off += start[k] * strides[k];
        this.readFully(out, pos, runBytes, off, v.name);
        pos += runBytes;
        let d = k - 1;
        while (d >= 0 && ++idx[d] === count[d]) idx[d--] = 0;
        if (d < 0) break;
      }
    }
    return decodeBigEndian(out, v.dtype);
  }

  /** Read exactly n bytes at file offset `at` (one read returns at most ~2 GiB on Linux). */
  private readFully(out: Buffer, pos: number, n: number, at: number, name: string): void {
    while (n > 0) {
      const got = readSync(this.fd, out, pos, n, at);
      if (got === 0) {
        throw new NunatakError('IO', `${this.path}: variable '${name}' ends past the end of the file (byte ${at})`, {
          hint: 'the file was truncated after it was opened',
        });
      }
      pos += got;
      at += got;
      n -= got;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Turn big-endian bytes into a native typed array, in place. Node's native
 * Buffer.swap16/32/64 run about 5× faster than a JS loop over 32-bit words
 * (0.03 s vs 0.16 s for 400 MB, about as long as reading the bytes).
 * `buf` must own its ArrayBuffer from offset 0 (readRaw's does), so views are aligned.
 */
function decodeBigEndian(buf: Buffer, dtype: DType): RawArray {
  if (dtype === 'char') return [buf.toString('latin1')];
  if (dtype === 'int8') return new Int8Array(buf.buffer, buf.byteOffset, buf.length);
  const C = NC3_ARRAYS[dtype];
  if (!C) throw new NunatakError('DTYPE', `NetCDF3 has no type ${dtype}`);
  const w = C.BYTES_PER_ELEMENT;
  if (w === 2) buf.swap16();
  else if (w === 4) buf.swap32();
  else buf.swap64();
  return new C(buf.buffer as ArrayBuffer, buf.byteOffset, buf.length / w);
}

const NC3_ARRAYS: Partial<Record<DType, Int16ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor>> = {
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};
