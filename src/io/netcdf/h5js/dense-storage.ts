/**
 * "Dense" link and attribute storage of newer HDF5 object headers: the
 * messages live in a fractal heap, listed by a version 2 B-tree of heap IDs.
 * Handled: a B-tree whose root is a leaf (up to a few dozen entries) and a
 * heap whose root is a direct block or an indirect block of direct blocks,
 * without I/O filters; larger ones are `Hdf5Unsupported`.
 */
import { Cursor, FileBytes, Hdf5Unsupported } from './file-bytes.js';
import type { Superblock } from './superblock.js';

interface FractalHeap {
  idLen: number;
  offsetBytes: number;
  /** Direct blocks as [heap offset, file address, size]. */
  blocks: Array<[number, number, number]>;
}

function readHeap(fb: FileBytes, sb: Superblock, addr: number): FractalHeap {
  const c = new Cursor(fb.bytes(addr, Math.min(256, fb.size - addr)), 0, sb);
  c.expect('FRHP', 'fractal heap');
  c.skip(1);
  const idLen = c.u16();
  if (c.u16() !== 0) throw new Hdf5Unsupported('a filtered fractal heap');
  c.skip(1 + 4).len();
  c.addr();
  c.len();
  c.addr();
  for (let k = 0; k < 8; k++) c.len();
  const width = c.u16();
  const start = c.len();
  const maxDirect = c.len();
  const maxHeapBits = c.u16();
  c.skip(2);
  const root = c.addr();
  const rows = c.u16();
  const offsetBytes = Math.ceil(maxHeapBits / 8);
  const blocks: Array<[number, number, number]> = [];
  if (root === -1) return { idLen, offsetBytes, blocks };
  if (rows === 0) {
    blocks.push([0, root, start]);
    return { idLen, offsetBytes, blocks };
  }
  const maxDirectRows = Math.log2(maxDirect) - Math.log2(start) + 2;
  if (rows > maxDirectRows) throw new Hdf5Unsupported('a fractal heap with indirect child blocks');
  const ib = new Cursor(fb.bytes(root, 5 + sb.offsets + offsetBytes + rows * width * sb.offsets), 0, sb);
  ib.expect('FHIB', 'fractal heap indirect block');
  ib.skip(1 + sb.offsets + offsetBytes);
  let off = 0;
  for (let r = 0; r < rows; r++) {
    const size = r < 2 ? start : start * 2 ** (r - 1);
    for (let k = 0; k < width; k++) {
      const a = ib.addr();
      if (a !== -1) blocks.push([off, a, size]);
      off += size;
    }
  }
  return { idLen, offsetBytes, blocks };
}

/** Bytes of one managed object, from its heap ID. */
function heapObject(fb: FileBytes, heap: FractalHeap, id: Buffer): Buffer {
  if ((id[0] >> 4) & 3) throw new Hdf5Unsupported('a tiny or huge fractal heap object');
  const c = new Cursor(id, 1, { offsets: 8, lengths: 8 });
  const offset = c.uint(heap.offsetBytes);
  const len = c.uint(Math.min(8, heap.idLen - 1 - heap.offsetBytes));
  const block = heap.blocks.find(([o, , size]) => offset >= o && offset < o + size);
  if (!block) throw new Hdf5Unsupported(`fractal heap offset ${offset} outside the direct blocks read`);
  return fb.bytes(block[1] + offset - block[0], len);
}

/** One stored object and its B-tree record (which holds e.g. the creation order). */
export interface DenseObject {
  data: Buffer;
  record: Buffer;
}

/** Every object stored in a dense list: the heap at `heapAddr`, indexed by the B-tree at `btreeAddr`. */
export function denseObjects(fb: FileBytes, sb: Superblock, heapAddr: number, btreeAddr: number): DenseObject[] {
  const heap = readHeap(fb, sb, heapAddr);
  const h = new Cursor(fb.bytes(btreeAddr, 16 + 2 * sb.offsets + sb.lengths), 0, sb);
  h.expect('BTHD', 'version 2 B-tree');
  h.skip(1);
  const type = h.u8();
  h.skip(4);
  const recSize = h.u16();
  const depth = h.u16();
  h.skip(2);
  const root = h.addr();
  const n = h.u16();
  if (root === -1 || n === 0) return [];
  if (depth !== 0) throw new Hdf5Unsupported('a version 2 B-tree deeper than one node');
  // Where the heap ID sits in a record: link name index (type 5) after a 4-byte hash; attribute indexes (8, 9) first.
  const idAt = type === 5 ? 4 : type === 6 ? 8 : 0;
  const leaf = fb.bytes(root, 6 + n * recSize);
  if (leaf.toString('latin1', 0, 4) !== 'BTLF') throw new Hdf5Unsupported('a version 2 B-tree node without its BTLF signature');
  const out: DenseObject[] = [];
  for (let k = 0; k < n; k++) {
    const record = leaf.subarray(6 + k * recSize, 6 + (k + 1) * recSize);
    out.push({ data: heapObject(fb, heap, record.subarray(idAt, idAt + heap.idLen)), record });
  }
  return out;
}
