/**
 * Random access to an HDF5 file's bytes for the pure-JS reader: metadata is
 * read on demand in 64 kB pages (cached), so opening a 400 MB file reads only
 * the few pages its headers sit in; bulk data is read straight into the
 * caller's buffer.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const PAGE = 1 << 16;

/** Thrown for an HDF5 feature the pure-JS reader does not handle; the caller falls back to h5wasm. */
export class Hdf5Unsupported extends Error {}

/** Thrown for bytes that do not parse as HDF5 (bad signature, address past the end). */
export class Hdf5Corrupt extends Error {}

export class FileBytes {
  readonly size: number;
  private fd: number;
  private pages = new Map<number, Buffer>();

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  /** `len` bytes at file address `addr` (a view into the page cache; do not modify). */
  bytes(addr: number, len: number): Buffer {
    if (addr < 0 || len < 0 || addr + len > this.size) {
      throw new Hdf5Corrupt(`read of ${len} bytes at address ${addr} is past the end of the file (${this.size} bytes)`);
    }
    const p0 = Math.floor(addr / PAGE);
    const p1 = Math.floor((addr + len - 1) / PAGE);
    if (len > 0 && p0 === p1) {
      const page = this.page(p0);
      return page.subarray(addr - p0 * PAGE, addr - p0 * PAGE + len);
    }
    const out = Buffer.allocUnsafe(len);
    this.readInto(out, addr);
    return out;
  }

  /** Fill `dst` with the file's bytes from `addr` on (bulk data; not cached). */
  readInto(dst: Uint8Array, addr: number): void {
    if (addr < 0 || addr + dst.length > this.size) {
      throw new Hdf5Corrupt(`read of ${dst.length} bytes at address ${addr} is past the end of the file (${this.size} bytes)`);
    }
    // readSync moves at most ~2 GB per call.
    for (let done = 0; done < dst.length; ) {
      const n = readSync(this.fd, dst, done, Math.min(dst.length - done, 1 << 30), addr + done);
      if (n <= 0) throw new Hdf5Corrupt(`short read at address ${addr + done}`);
      done += n;
    }
  }

  private page(k: number): Buffer {
    let p = this.pages.get(k);
    if (!p) {
      const len = Math.min(PAGE, this.size - k * PAGE);
      p = Buffer.allocUnsafe(len);
      this.readInto(p, k * PAGE);
      this.pages.set(k, p);
    }
    return p;
  }

  close(): void {
    closeSync(this.fd);
    this.pages.clear();
  }
}

/** Sizes of file addresses and lengths, from the superblock. */
export interface Widths {
  offsets: number;
  lengths: number;
}

/** Sequential little-endian reader over a buffer; addresses are numbers, "undefined address" is -1. */
export class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly w: Widths,
  ) {}

  u8(): number {
    return this.buf[this.pos++];
  }
  u16(): number {
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  /** Unsigned integer of `n` bytes (1–8); all bits set reads as -1 (HDF5's "undefined"). */
  uint(n: number): number {
    let allOnes = true;
    for (let i = 0; i < n; i++) if (this.buf[this.pos + i] !== 0xff) allOnes = false;
    if (allOnes) {
      this.pos += n;
      return -1;
    }
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.buf[this.pos + i];
    this.pos += n;
    if (v > Number.MAX_SAFE_INTEGER) throw new Hdf5Unsupported('an address or size above 2^53');
    return v;
  }
  addr(): number {
    return this.uint(this.w.offsets);
  }
  len(): number {
    return this.uint(this.w.lengths);
  }
  skip(n: number): this {
    this.pos += n;
    return this;
  }
  /** Check a 4-byte block signature such as "OHDR". */
  expect(sig: string, what: string): void {
    const got = this.buf.toString('latin1', this.pos, this.pos + 4);
    if (got !== sig) throw new Hdf5Corrupt(`${what}: expected signature ${sig}, found ${JSON.stringify(got)}`);
    this.pos += 4;
  }
}
