/**
 * Reading a hyperslab of a dataset's raw element bytes, C order: compact and
 * contiguous data by direct reads, chunked data chunk by chunk (deflate and
 * shuffle undone), unwritten parts filled with the fill value.
 */
import { inflateSync } from 'node:zlib';
import { FileBytes, Hdf5Corrupt, Hdf5Unsupported } from './file-bytes.js';
import type { Chunk } from './chunk-index.js';
import type { Filter, Layout } from './messages.js';

/** What reading needs to know about one dataset. */
export interface StoredData {
  shape: number[];
  /** Infinity on unlimited axes (the extensible-array index needs it). */
  maxshape?: number[];
  elemSize: number;
  layout: Layout;
  filters: Filter[];
  /** Fill value bytes (one element), or undefined for zeros. */
  fill?: Buffer;
  /** Chunked layouts: the stored chunks (listed at open or first read). */
  chunks?: Chunk[];
  /** The same, keyed by position in the chunk grid (C order); built at the first read. */
  byCell?: Map<number, Chunk>;
}

/** Stored chunks that overlap [start, end), found through the grid (a slab costs what it touches, not the chunk count). */
function chunksIn(ds: StoredData, chunks: number[], start: number[], end: number[]): Chunk[] {
  const grid = ds.shape.map((n, d) => Math.ceil(n / chunks[d]));
  const cell = (origin: number[]) => origin.reduce((k, o, d) => k * grid[d] + Math.floor(o / chunks[d]), 0);
  if (!ds.byCell) {
    ds.byCell = new Map();
    for (const c of ds.chunks ?? []) ds.byCell.set(cell(c.origin), c);
  }
  const lo = start.map((s, d) => Math.floor(s / chunks[d]));
  const ext = end.map((e, d) => Math.floor((e - 1) / chunks[d]) - lo[d] + 1);
  const total = ext.reduce((a, b) => a * b, 1);
  const pos = new Array<number>(lo.length).fill(0);
  const out: Chunk[] = [];
  for (let r = 0; r < total; r++) {
    const c = ds.byCell.get(pos.reduce((k, p, d) => k * grid[d] + lo[d] + p, 0));
    if (c) out.push(c);
    for (let d = lo.length - 1; d >= 0 && ++pos[d] === ext[d]; d--) pos[d] = 0;
  }
  return out;
}

/** Filter ids the reader can undo. */
export const READABLE_FILTERS = new Set([1, 2]);

/** Bytes from which a read goes straight from the file into the output. */
const BIG_READ = 1 << 16;

const prod = (a: number[]) => a.reduce((x, y) => x * y, 1);

export function readSlab(fb: FileBytes, ds: StoredData, start: number[], count: number[], out: Uint8Array): void {
  const es = ds.elemSize;
  const L = ds.layout;
  if (L.kind === 'compact') {
    copyBox(L.data, ds.shape, ds.shape.map(() => 0), out, count, start, start, start.map((s, d) => s + count[d]), es);
    return;
  }
  if (L.kind === 'contiguous') {
    if (L.addr === -1) return fillWith(out, ds.fill, es);
    readContiguous(fb, L.addr, ds.shape, start, count, out, es);
    return;
  }
  const chunks = L.chunks;
  const end = start.map((s, d) => s + count[d]);
  const hits = chunksIn(ds, chunks, start, end);
  const wanted = start.reduce((n, s, d) => n * (Math.floor((end[d] - 1) / chunks[d]) - Math.floor(s / chunks[d]) + 1), 1);
  if (hits.length < wanted) fillWith(out, ds.fill, es);
  const rawBytes = prod(chunks) * es;
  for (const c of hits) {
    const lo = c.origin.map((o, d) => Math.max(o, start[d]));
    const hi = c.origin.map((o, d) => Math.min(o + chunks[d], end[d]));
    const unfiltered = ds.filters.length === 0 || ds.filters.every((_, k) => c.mask & (1 << k));
    // One contiguous run in both the chunk and the output: read it straight into place.
    let whole = true;
    for (let d = 1; d < chunks.length; d++) if (hi[d] - lo[d] !== chunks[d] || hi[d] - lo[d] !== count[d]) whole = false;
    if (unfiltered && whole) {
      const rowBytes = prod(chunks.slice(1)) * es;
      const dst = (lo[0] - start[0]) * rowBytes;
      const len = (hi[0] - lo[0]) * rowBytes;
      const src = c.addr + (lo[0] - c.origin[0]) * rowBytes;
      // Large runs bypass the page cache; small ones (many tiny chunks) come from it, not one system call each.
      if (len >= BIG_READ) fb.readInto(out.subarray(dst, dst + len), src);
      else out.set(fb.bytes(src, len), dst);
      continue;
    }
    let data: Uint8Array = fb.bytes(c.addr, c.size);
    if (!unfiltered) data = unfilter(data, ds.filters, c.mask, es);
    if (data.length < rawBytes) throw new Hdf5Corrupt(`chunk at ${c.addr} holds ${data.length} bytes, expected ${rawBytes}`);
    copyBox(data, chunks, c.origin, out, count, start, lo, hi, es);
  }
}

function unfilter(data: Uint8Array, filters: Filter[], mask: number, es: number): Uint8Array {
  for (let k = filters.length - 1; k >= 0; k--) {
    if (mask & (1 << k)) continue;
    const f = filters[k];
    if (f.id === 1) data = inflateSync(data);
    else if (f.id === 2) data = unshuffle(data, f.params[0] ?? es);
    else throw new Hdf5Unsupported(`filter ${f.name || f.id}`);
  }
  return data;
}

/** Undo HDF5's byte shuffle: byte j of every element was stored together. */
function unshuffle(src: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return src;
  const n = Math.floor(src.length / size);
  const dst = new Uint8Array(src.length);
  for (let j = 0; j < size; j++) {
    const base = j * n;
    for (let i = 0; i < n; i++) dst[i * size + j] = src[base + i];
  }
  dst.set(src.subarray(n * size), n * size); // leftover bytes are stored unshuffled
  return dst;
}

function fillWith(out: Uint8Array, fill: Buffer | undefined, es: number): void {
  if (!fill || fill.every((b) => b === 0)) {
    out.fill(0);
    return;
  }
  if (fill.length !== es) throw new Hdf5Corrupt(`fill value of ${fill.length} bytes for ${es}-byte elements`);
  for (let i = 0; i < out.length; i += es) out.set(fill, i);
}

function readContiguous(fb: FileBytes, addr: number, shape: number[], start: number[], count: number[], out: Uint8Array, es: number): void {
  const nd = shape.length;
  // The trailing axes read whole form one run; `k` is the innermost axis that is not whole.
  let k = nd - 1;
  while (k > 0 && start[k] === 0 && count[k] === shape[k]) k--;
  const run = (nd === 0 ? 1 : count[k] * prod(shape.slice(k + 1))) * es;
  const idx = start.slice(0, Math.max(k, 0));
  const lead = count.slice(0, Math.max(k, 0));
  const stride = shape.map((_, d) => prod(shape.slice(d + 1)) * es);
  const total = prod(lead);
  const pos = new Array<number>(lead.length).fill(0);
  for (let r = 0; r < total; r++) {
    let src = nd === 0 ? 0 : start[k] * stride[k];
    for (let d = 0; d < lead.length; d++) src += (idx[d] + pos[d]) * stride[d];
    fb.readInto(out.subarray(r * run, (r + 1) * run), addr + src);
    for (let d = lead.length - 1; d >= 0 && ++pos[d] === lead[d]; d--) pos[d] = 0;
  }
}

/**
 * Copy the box [lo, hi) (global element indices) from `src`, an array of
 * shape `srcDims` whose first element is at `srcOrigin`, into `dst`, of shape
 * `dstDims` starting at `dstOrigin`.
 */
function copyBox(src: Uint8Array, srcDims: number[], srcOrigin: number[], dst: Uint8Array, dstDims: number[], dstOrigin: number[], lo: number[], hi: number[], es: number): void {
  const nd = srcDims.length;
  if (nd === 0) {
    dst.set(src.subarray(0, es));
    return;
  }
  const sStride = srcDims.map((_, d) => prod(srcDims.slice(d + 1)) * es);
  const dStride = dstDims.map((_, d) => prod(dstDims.slice(d + 1)) * es);
  const runBytes = (hi[nd - 1] - lo[nd - 1]) * es;
  const ext = lo.map((l, d) => hi[d] - l).slice(0, nd - 1);
  const total = prod(ext);
  const pos = new Array<number>(nd - 1).fill(0);
  for (let r = 0; r < total; r++) {
    let s = (lo[nd - 1] - srcOrigin[nd - 1]) * es;
    let t = (lo[nd - 1] - dstOrigin[nd - 1]) * es;
    for (let d = 0; d < nd - 1; d++) {
      s += (lo[d] + pos[d] - srcOrigin[d]) * sStride[d];
      t += (lo[d] + pos[d] - dstOrigin[d]) * dStride[d];
    }
    dst.set(src.subarray(s, s + runBytes), t);
    for (let d = nd - 2; d >= 0 && ++pos[d] === ext[d]; d--) pos[d] = 0;
  }
}
