/**
 * HDF5 global heap collections ("GCOL"): where variable-length data
 * (strings, sequences such as netCDF-4's DIMENSION_LIST) keep their bytes.
 */
import { Cursor, FileBytes, Hdf5Corrupt } from './file-bytes.js';
import type { Superblock } from './superblock.js';

export class GlobalHeap {
  private collections = new Map<number, Map<number, Buffer>>();

  constructor(
    private fb: FileBytes,
    private sb: Superblock,
  ) {}

  /** Bytes of object `index` in the collection at `addr`. */
  object(addr: number, index: number): Buffer {
    let objs = this.collections.get(addr);
    if (!objs) {
      objs = this.readCollection(addr);
      this.collections.set(addr, objs);
    }
    const b = objs.get(index);
    if (!b) throw new Hdf5Corrupt(`global heap collection at ${addr} has no object ${index}`);
    return b;
  }

  private readCollection(addr: number): Map<number, Buffer> {
    const w = this.sb;
    const head = new Cursor(this.fb.bytes(addr, 8 + w.lengths), 0, w);
    head.expect('GCOL', 'global heap collection');
    head.skip(4);
    const size = head.len();
    const buf = this.fb.bytes(addr, size);
    const c = new Cursor(buf, 8 + w.lengths, w);
    const objs = new Map<number, Buffer>();
    while (c.pos + 8 + w.lengths <= size) {
      const index = c.u16();
      c.skip(6);
      const len = c.len();
      if (index === 0) break; // free space: the rest of the collection
      objs.set(index, buf.subarray(c.pos, c.pos + len));
      c.skip(Math.ceil(len / 8) * 8);
    }
    return objs;
  }
}
