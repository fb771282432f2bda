/**
 * A cut-short HDF5 (NetCDF4) file, told from its superblock before the HDF5
 * library sees it: the superblock records the end-of-file address, so a file
 * shorter than that was truncated (an interrupted copy or download). Only a
 * superblock at byte 0 is read (no user block), versions 0–3.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** How a truncated file falls short: its size, the size expected, and where that number comes from. */
export interface Hdf5Truncation {
  size: number;
  expected: number;
  /** "the end-of-file address in its HDF5 superblock" or "at least, for the HDF5 superblock alone". */
  source: string;
}

/** Set when the file is shorter than its superblock's end-of-file address (or than the superblock). */
export function hdf5Truncation(path: string): Hdf5Truncation | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const b = Buffer.alloc(96);
    const n = readSync(fd, b, 0, b.length, 0);
    if (n < 16 || !b.subarray(0, 8).equals(SIGNATURE)) return undefined;
    const version = b[8];
    // offsets: where "size of offsets" sits and where the end-of-file address starts
    let sizeOfOffsets: number;
    let eofAt: number;
    if (version === 0 || version === 1) {
      sizeOfOffsets = b[13];
      eofAt = (version === 0 ? 24 : 28) + 2 * sizeOfOffsets; // after base and free-space addresses
    } else if (version === 2 || version === 3) {
      sizeOfOffsets = b[9];
      eofAt = 12 + 2 * sizeOfOffsets; // after base and superblock-extension addresses
    } else return undefined;
    if (![2, 4, 8].includes(sizeOfOffsets)) return undefined;
    if (eofAt + sizeOfOffsets > n) return { size, expected: eofAt + sizeOfOffsets, source: 'at least, for the HDF5 superblock alone' };
    const expected = sizeOfOffsets === 8 ? Number(b.readBigUInt64LE(eofAt)) : sizeOfOffsets === 4 ? b.readUInt32LE(eofAt) : b.readUInt16LE(eofAt);
    return size < expected ? { size, expected, source: 'the end-of-file address in its HDF5 superblock' } : undefined;
  } finally {
    closeSync(fd);
  }
}
