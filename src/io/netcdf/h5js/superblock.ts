/**
 * The HDF5 superblock at byte 0: address/length widths and where the root
 * group's object header is (versions 0–3; a user block is not supported).
 */
import { Cursor, FileBytes, Hdf5Corrupt, Hdf5Unsupported, type Widths } from './file-bytes.js';
import { verifyChecksum } from './checksum.js';

const SIGNATURE = '\x89HDF\r\n\x1a\n';

export interface Superblock extends Widths {
  version: number;
  /** Address of the root group's object header. */
  root: number;
}

export function readSuperblock(fb: FileBytes): Superblock {
  const head = fb.bytes(0, Math.min(fb.size, 128));
  if (head.toString('latin1', 0, 8) !== SIGNATURE) throw new Hdf5Corrupt('no HDF5 signature at byte 0');
  const version = head[8];
  if (version === 0 || version === 1) {
    const w = { offsets: head[13], lengths: head[14] };
    checkWidths(w);
    // after: 4 version bytes, widths, reserved, 2 K values, flags (+ 4 bytes in v1), then 4 addresses
    const c = new Cursor(head, version === 0 ? 24 : 28, w);
    const base = c.addr();
    if (base !== 0) throw new Hdf5Unsupported(`a base address of ${base} (user block)`);
    c.skip(3 * w.offsets); // free space, end of file, driver info
    c.addr(); // root symbol table entry: link name offset
    return { version, ...w, root: c.addr() };
  }
  if (version === 2 || version === 3) {
    const w = { offsets: head[9], lengths: head[10] };
    checkWidths(w);
    const c = new Cursor(head, 12, w);
    const base = c.addr();
    if (base !== 0) throw new Hdf5Unsupported(`a base address of ${base} (user block)`);
    c.skip(2 * w.offsets); // superblock extension, end of file
    const root = c.addr();
    verifyChecksum(head.subarray(0, c.pos), head.readUInt32LE(c.pos), 'superblock');
    return { version, ...w, root };
  }
  throw new Hdf5Unsupported(`superblock version ${version}`);
}

function checkWidths(w: Widths): void {
  for (const n of [w.offsets, w.lengths]) if (![2, 4, 8].includes(n)) throw new Hdf5Corrupt(`address width ${n} in the superblock`);
}
