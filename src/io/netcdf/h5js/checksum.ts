/**
 * HDF5's metadata checksum: Bob Jenkins' lookup3 `hashlittle` with initial
 * value 0 (H5_checksum_lookup3), over a block's bytes before its 4-byte
 * checksum field. Version 2 object headers and superblocks 2–3 carry one.
 */
import { Hdf5Corrupt } from './file-bytes.js';

const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export function lookup3(k: Uint8Array): number {
  let length = k.length;
  let a = (0xdeadbeef + length) | 0;
  let b = a;
  let c = a;
  let i = 0;
  while (length > 12) {
    a = (a + (k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24))) | 0;
    b = (b + (k[i + 4] | (k[i + 5] << 8) | (k[i + 6] << 16) | (k[i + 7] << 24))) | 0;
    c = (c + (k[i + 8] | (k[i + 9] << 8) | (k[i + 10] << 16) | (k[i + 11] << 24))) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    length -= 12;
    i += 12;
  }
  if (length === 0) return c >>> 0;
  // The last 1–12 bytes, zero-padded, into a, b, c.
  const w = [0, 0, 0];
  for (let j = 0; j < length; j++) w[j >> 2] += k[i + j] << (8 * (j & 3));
  a = (a + w[0]) | 0;
  b = (b + w[1]) | 0;
  c = (c + w[2]) | 0;
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}

/** Check the checksum stored right after `block` (little-endian uint32 at `stored`). */
export function verifyChecksum(block: Uint8Array, stored: number, what: string): void {
  const got = lookup3(block);
  if (got !== stored) throw new Hdf5Corrupt(`${what}: checksum ${got.toString(16)} does not match the stored ${stored.toString(16)}`);
}
