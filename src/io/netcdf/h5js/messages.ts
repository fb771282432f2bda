/**
 * Decoders of the HDF5 header messages the netCDF-4 data model uses:
 * dataspace, datatype, data layout, filter pipeline, fill value, attribute.
 * Layouts: compact, contiguous and chunked (version 3's B-tree, version 4's
 * single-chunk, implicit, fixed-array and extensible-array indexes); anything else is
 * `Hdf5Unsupported`.
 */
import { Cursor, Hdf5Unsupported, type Widths } from './file-bytes.js';

export interface Dataspace {
  shape: number[];
  /** Infinity for an unlimited axis; undefined when the file records none. */
  maxshape?: number[];
}

export function parseDataspace(b: Buffer, w: Widths): Dataspace {
  const c = new Cursor(b, 0, w);
  const version = c.u8();
  const rank = c.u8();
  const flags = c.u8();
  if (version === 1) c.skip(5);
  else if (version === 2) {
    const kind = c.u8();
    if (kind === 2) return { shape: [0] }; // null dataspace: no elements
  } else throw new Hdf5Unsupported(`dataspace message version ${version}`);
  const shape = Array.from({ length: rank }, () => c.len());
  const maxshape = flags & 1 ? Array.from({ length: rank }, () => c.len()).map((m) => (m === -1 ? Infinity : m)) : undefined;
  return { shape, maxshape };
}

/** A datatype, reduced to what netCDF-4 uses. */
export interface Datatype {
  /** HDF5 class: 0 integer, 1 float, 3 string, 7 reference, 9 variable length, others. */
  cls: number;
  /** Bytes per element as stored. */
  size: number;
  signed: boolean;
  bigEndian: boolean;
  /** Variable-length string (class 9, type 1) reported as class 3 with vlen set, as h5wasm does. */
  vlen: boolean;
  /** Strings: UTF-8 (else ASCII). */
  utf8?: boolean;
  /** Class 9 sequence: its element type. */
  base?: Datatype;
  /** Class 7: 0 object reference, 1 region reference. */
  refType?: number;
}

export function parseDatatype(b: Buffer, w: Widths, at = 0): Datatype {
  const c = new Cursor(b, at, w);
  const b0 = c.u8();
  const cls = b0 & 0x0f;
  const bits = c.u8() | (c.u8() << 8) | (c.u8() << 16);
  const size = c.u32();
  const t: Datatype = { cls, size, signed: false, bigEndian: false, vlen: false };
  if (cls === 0) {
    t.bigEndian = (bits & 1) === 1;
    t.signed = (bits & 8) !== 0;
  } else if (cls === 1) {
    if (bits & 0x40) throw new Hdf5Unsupported('VAX-order floating point');
    t.bigEndian = (bits & 1) === 1;
    t.signed = true;
  } else if (cls === 3) {
    t.utf8 = ((bits >> 4) & 0x0f) === 1;
  } else if (cls === 7) {
    t.refType = bits & 0x0f;
  } else if (cls === 9) {
    if ((bits & 0x0f) === 1) return { cls: 3, size, signed: false, bigEndian: false, vlen: true, utf8: ((bits >> 8) & 0x0f) === 1 };
    t.base = parseDatatype(b, w, c.pos);
  }
  return t;
}

export type Layout =
  | { kind: 'compact'; data: Buffer }
  | { kind: 'contiguous'; addr: number; size: number }
  | { kind: 'chunked'; chunks: number[]; index: ChunkIndex };

/** Where a chunked dataset's chunks are listed. */
export type ChunkIndex =
  | { type: 'btree1'; addr: number }
  | { type: 'single'; addr: number; filteredSize?: number; filterMask: number }
  | { type: 'implicit'; addr: number }
  | { type: 'fixedArray'; addr: number }
  | { type: 'extensibleArray'; addr: number };

export function parseLayout(b: Buffer, w: Widths, rank: number): Layout {
  const c = new Cursor(b, 0, w);
  const version = c.u8();
  if (version < 3 || version > 4) throw new Hdf5Unsupported(`data layout message version ${version}`);
  const cls = c.u8();
  if (cls === 0) {
    const size = c.u16();
    return { kind: 'compact', data: b.subarray(c.pos, c.pos + size) };
  }
  if (cls === 1) return { kind: 'contiguous', addr: c.addr(), size: c.len() };
  if (cls !== 2) throw new Hdf5Unsupported(`data layout class ${cls}`);
  if (version === 3) {
    const nd = c.u8();
    const addr = c.addr();
    const dims = Array.from({ length: nd }, () => c.u32());
    return { kind: 'chunked', chunks: dims.slice(0, rank), index: { type: 'btree1', addr } };
  }
  const flags = c.u8();
  const nd = c.u8();
  const enc = c.u8();
  const dims = Array.from({ length: nd }, () => c.uint(enc));
  const type = c.u8();
  const chunks = dims.slice(0, rank);
  if (type === 1) {
    let filteredSize: number | undefined;
    let filterMask = 0;
    if (flags & 2) {
      filteredSize = c.len();
      filterMask = c.u32();
    }
    return { kind: 'chunked', chunks, index: { type: 'single', addr: c.addr(), filteredSize, filterMask } };
  }
  if (type === 2) return { kind: 'chunked', chunks, index: { type: 'implicit', addr: c.addr() } };
  if (type === 3) {
    c.skip(1); // page bits
    return { kind: 'chunked', chunks, index: { type: 'fixedArray', addr: c.addr() } };
  }
  if (type === 4) {
    c.skip(5); // creation parameters, repeated in the array's header
    return { kind: 'chunked', chunks, index: { type: 'extensibleArray', addr: c.addr() } };
  }
  throw new Hdf5Unsupported(`chunk index type ${type === 5 ? 'version 2 B-tree' : type}`);
}

export interface Filter {
  id: number;
  name: string;
  params: number[];
}

/** Names HDF5 gives its predefined filters when the message stores none. */
const FILTER_NAMES: Record<number, string> = { 1: 'deflate', 2: 'shuffle', 3: 'fletcher32', 4: 'szip', 5: 'nbit', 6: 'scaleoffset' };

export function parseFilters(b: Buffer, w: Widths): Filter[] {
  const c = new Cursor(b, 0, w);
  const version = c.u8();
  const n = c.u8();
  if (version === 1) c.skip(6);
  else if (version !== 2) throw new Hdf5Unsupported(`filter pipeline message version ${version}`);
  const out: Filter[] = [];
  for (let k = 0; k < n; k++) {
    const id = c.u16();
    const nameLen = version === 1 || id >= 256 ? c.u16() : 0;
    c.skip(2); // flags
    const np = c.u16();
    let name = '';
    if (nameLen > 0) {
      name = b.toString('latin1', c.pos, c.pos + nameLen).replace(/\0.*$/s, '');
      c.skip(version === 1 ? Math.ceil(nameLen / 8) * 8 : nameLen);
    }
    const params = Array.from({ length: np }, () => c.u32());
    if (version === 1 && np % 2 === 1) c.skip(4);
    out.push({ id, name: name || FILTER_NAMES[id] || '', params });
  }
  return out;
}

/** The fill value's bytes, or undefined for "zeros" (not defined). */
export function parseFillValue(b: Buffer, w: Widths, type: number): Buffer | undefined {
  const c = new Cursor(b, 0, w);
  if (type === 0x04) {
    const size = c.u32();
    return size > 0 ? b.subarray(4, 4 + size) : undefined;
  }
  const version = c.u8();
  if (version === 1 || version === 2) {
    c.skip(2);
    const defined = c.u8();
    if (version === 1 || defined) {
      const size = c.u32();
      return size > 0 ? b.subarray(c.pos, c.pos + size) : undefined;
    }
    return undefined;
  }
  if (version === 3) {
    const flags = c.u8();
    if (flags & 0x20) {
      const size = c.u32();
      return size > 0 ? b.subarray(c.pos, c.pos + size) : undefined;
    }
    return undefined;
  }
  throw new Hdf5Unsupported(`fill value message version ${version}`);
}

export interface RawAttribute {
  name: string;
  type: Datatype;
  space: Dataspace;
  data: Buffer;
}

export function parseAttribute(b: Buffer, w: Widths): RawAttribute {
  const c = new Cursor(b, 0, w);
  const version = c.u8();
  const flags = c.u8();
  if (flags & 3) throw new Hdf5Unsupported('an attribute with a shared datatype or dataspace');
  const nameSize = c.u16();
  const typeSize = c.u16();
  const spaceSize = c.u16();
  if (version === 3) c.skip(1); // character set of the name
  else if (version !== 1 && version !== 2) throw new Hdf5Unsupported(`attribute message version ${version}`);
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const name = b.toString('utf8', c.pos, c.pos + nameSize).replace(/\0+$/, '');
  c.skip(pad(nameSize));
  const type = parseDatatype(b, w, c.pos);
  c.skip(pad(typeSize));
  const space = parseDataspace(b.subarray(c.pos, c.pos + spaceSize), w);
  c.skip(pad(spaceSize));
  return { name, type, space, data: b.subarray(c.pos) };
}
