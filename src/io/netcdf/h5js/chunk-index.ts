/**
 * The stored chunks of a chunked dataset, from its index: version 1 B-tree
 * (layout message version 3, what netCDF-C writes by default), or one of
 * layout version 4's single-chunk, implicit, (unpaged) fixed-array and
 * extensible-array indexes.
 */
import { Cursor, FileBytes, Hdf5Corrupt, Hdf5Unsupported } from './file-bytes.js';
import type { ChunkIndex } from './messages.js';
import type { Superblock } from './superblock.js';
import { extensibleArray } from './extensible-array.js';

export interface Chunk {
  /** Element index of the chunk's first element, per dimension. */
  origin: number[];
  addr: number;
  /** Stored bytes (after filters). */
  size: number;
  /** Bit k set: filter k of the pipeline was skipped for this chunk. */
  mask: number;
}

/** Chunks along each axis. */
export function chunkGrid(shape: number[], chunks: number[]): number[] {
  return shape.map((n, d) => Math.ceil(n / chunks[d]));
}

export function listChunks(fb: FileBytes, sb: Superblock, index: ChunkIndex, shape: number[], maxshape: number[] | undefined, chunks: number[], elemSize: number, filtered: boolean): Chunk[] {
  const rawBytes = chunks.reduce((a, b) => a * b, elemSize);
  if (index.addr === -1) return []; // nothing written yet
  if (index.type === 'btree1') return btree1(fb, sb, index.addr, shape.length);
  if (index.type === 'single') return [{ origin: shape.map(() => 0), addr: index.addr, size: index.filteredSize ?? rawBytes, mask: index.filterMask }];
  const grid = chunkGrid(shape, chunks);
  const total = grid.reduce((a, b) => a * b, 1);
  const originOf = (k: number): number[] => {
    const o = new Array<number>(grid.length);
    for (let d = grid.length - 1; d >= 0; d--) {
      o[d] = (k % grid[d]) * chunks[d];
      k = Math.floor(k / grid[d]);
    }
    return o;
  };
  if (index.type === 'extensibleArray') return extensibleChunks(fb, sb, index.addr, grid, maxshape ?? shape, chunks, rawBytes, originOf);
  if (index.type === 'implicit') {
    return Array.from({ length: total }, (_, k) => ({ origin: originOf(k), addr: index.addr + k * rawBytes, size: rawBytes, mask: 0 }));
  }
  // fixed array
  const h = new Cursor(fb.bytes(index.addr, 8 + sb.lengths + sb.offsets), 0, sb);
  h.expect('FAHD', 'fixed array header');
  h.skip(2);
  const entrySize = h.u8();
  const pageBits = h.u8();
  const n = h.len();
  const dblock = h.addr();
  if (n > 2 ** pageBits) throw new Hdf5Unsupported('a paged fixed-array chunk index');
  if (n !== total) throw new Hdf5Corrupt(`fixed array lists ${n} chunks, the dataset has ${total}`);
  const c = new Cursor(fb.bytes(dblock, 6 + sb.offsets + n * entrySize), 0, sb);
  c.expect('FADB', 'fixed array data block');
  c.skip(2 + sb.offsets);
  const out: Chunk[] = [];
  for (let k = 0; k < n; k++) {
    const start = c.pos;
    const addr = c.addr();
    const size = filtered ? c.uint(entrySize - sb.offsets - 4) : rawBytes;
    const mask = filtered ? c.u32() : 0;
    c.pos = start + entrySize;
    if (addr !== -1) out.push({ origin: originOf(k), addr, size, mask });
  }
  return out;
}

function btree1(fb: FileBytes, sb: Superblock, root: number, rank: number): Chunk[] {
  const keySize = 8 + 8 * (rank + 1);
  const out: Chunk[] = [];
  const seen = new Set<number>();
  const visit = (addr: number): void => {
    // A damaged file could point a node back at one already read.
    if (seen.has(addr)) throw new Hdf5Corrupt(`B-tree node at ${addr} is reached twice`);
    seen.add(addr);
    const head = new Cursor(fb.bytes(addr, 8 + 2 * sb.offsets), 0, sb);
    head.expect('TREE', 'chunk B-tree node');
    if (head.u8() !== 1) throw new Hdf5Corrupt(`B-tree node at ${addr} is not a chunk node`);
    const level = head.u8();
    const n = head.u16();
    const body = fb.bytes(addr + 8 + 2 * sb.offsets, n * (keySize + sb.offsets) + keySize);
    const c = new Cursor(body, 0, sb);
    for (let k = 0; k < n; k++) {
      const size = c.u32();
      const mask = c.u32();
      const origin = Array.from({ length: rank }, () => c.uint(8));
      c.skip(8);
      const child = c.addr();
      if (level > 0) visit(child);
      else out.push({ origin, addr: child, size, mask });
    }
  };
  visit(root);
  return out;
}

/**
 * Chunks in an extensible array: element index = the chunk's grid position
 * in C order over the maximum grid, with the unlimited axis moved first
 * (HDF5 "swizzles" it there when it is not axis 0).
 */
function extensibleChunks(
  fb: FileBytes,
  sb: Superblock,
  addr: number,
  grid: number[],
  maxshape: number[],
  chunks: number[],
  rawBytes: number,
  originOf: (k: number) => number[],
): Chunk[] {
  const unlim = maxshape.flatMap((m, d) => (m === Infinity ? [d] : []));
  if (unlim.length !== 1) throw new Hdf5Unsupported(`an extensible-array chunk index with ${unlim.length} unlimited axes`);
  const u = unlim[0];
  const order = [u, ...grid.keys()].filter((d, k) => k === 0 || d !== u);
  const maxChunks = order.map((d) => Math.ceil(maxshape[d] / chunks[d]));
  const down = order.map((_, k) => maxChunks.slice(k + 1).reduce((a, b) => a * b, 1));
  const lookup = extensibleArray(fb, sb, addr, rawBytes);
  const out: Chunk[] = [];
  const total = grid.reduce((a, b) => a * b, 1);
  for (let k = 0; k < total; k++) {
    const origin = originOf(k);
    const idx = order.reduce((s, d, j) => s + (origin[d] / chunks[d]) * down[j], 0);
    const e = lookup(idx);
    if (e) out.push({ origin, ...e });
  }
  return out;
}
