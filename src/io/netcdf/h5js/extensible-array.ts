/**
 * The extensible-array chunk index (layout message version 4, index type 4):
 * what HDF5 1.10+ writes, in its "latest" format, for a chunked dataset with
 * one unlimited axis. Elements (one per chunk) sit in the index block, in data
 * blocks it points to, or in data blocks listed by secondary blocks; block
 * sizes grow as HDF5's H5EA header sets them up. Paged data blocks (over
 * 2^pageBits elements, thousands of chunks) are `Hdf5Unsupported`.
 */
import { Cursor, FileBytes, Hdf5Unsupported } from './file-bytes.js';
import type { Superblock } from './superblock.js';

/** One element of the index: a chunk's address, stored size and filter mask. */
export interface ArrayElement {
  addr: number;
  size: number;
  mask: number;
}

/** Reads elements of the extensible array whose header is at `addr`; `rawBytes` is an unfiltered chunk's size. */
export function extensibleArray(fb: FileBytes, sb: Superblock, addr: number, rawBytes: number): (idx: number) => ArrayElement | undefined {
  const h = new Cursor(fb.bytes(addr, 16 + 6 * sb.lengths + sb.offsets), 0, sb);
  h.expect('EAHD', 'extensible array header');
  h.skip(1);
  const filtered = h.u8() === 1;
  const elemSize = h.u8();
  const maxBits = h.u8();
  const iblkElmts = h.u8();
  const dblkMin = h.u8();
  const sblkMinPtrs = h.u8();
  const pageBits = h.u8();
  h.skip(6 * sb.lengths);
  const iblockAddr = h.addr();
  if (iblockAddr === -1) return () => undefined;

  // Super block table, as H5EA__hdr_init builds it.
  const nsblks = 1 + maxBits - Math.log2(dblkMin);
  const sblk = Array.from({ length: nsblks }, () => ({ ndblks: 0, dblkElmts: 0, startIdx: 0, startDblk: 0 }));
  for (let u = 0, idx = 0, dblk = 0; u < nsblks; u++) {
    sblk[u] = { ndblks: 2 ** Math.floor(u / 2), dblkElmts: 2 ** Math.floor((u + 1) / 2) * dblkMin, startIdx: idx, startDblk: dblk };
    idx += sblk[u].ndblks * sblk[u].dblkElmts;
    dblk += sblk[u].ndblks;
  }
  const iblkSblks = 2 * Math.log2(sblkMinPtrs);
  const nDblkAddrs = 2 * (sblkMinPtrs - 1);
  const nSblkAddrs = nsblks - iblkSblks;
  const blockOffsetBytes = Math.ceil(maxBits / 8);

  const ib = new Cursor(fb.bytes(iblockAddr, 6 + sb.offsets + iblkElmts * elemSize + (nDblkAddrs + nSblkAddrs) * sb.offsets), 0, sb);
  ib.expect('EAIB', 'extensible array index block');
  ib.skip(2 + sb.offsets);
  const elemAt = ib.pos;
  ib.skip(iblkElmts * elemSize);
  const dblkAddrs = Array.from({ length: nDblkAddrs }, () => ib.addr());
  const sblkAddrs = Array.from({ length: nSblkAddrs }, () => ib.addr());

  const element = (buf: Buffer, at: number): ArrayElement | undefined => {
    const c = new Cursor(buf, at, sb);
    const a = c.addr();
    if (a === -1 || (a === 0 && !filtered)) return undefined;
    if (!filtered) return { addr: a, size: rawBytes, mask: 0 };
    const size = c.uint(elemSize - sb.offsets - 4);
    return { addr: a, size, mask: c.u32() };
  };
  const fromDataBlock = (dblkAddr: number, nelmts: number, k: number): ArrayElement | undefined => {
    if (dblkAddr === -1) return undefined;
    if (nelmts > 2 ** pageBits) throw new Hdf5Unsupported('a paged extensible-array data block');
    const head = 6 + sb.offsets + blockOffsetBytes;
    const b = fb.bytes(dblkAddr, head + nelmts * elemSize);
    if (b.toString('latin1', 0, 4) !== 'EADB') throw new Hdf5Unsupported(`no extensible array data block at ${dblkAddr}`);
    return element(b, head + k * elemSize);
  };
  const secondary = new Map<number, number[]>();
  const sblockDblks = (s: number): number[] => {
    let list = secondary.get(s);
    if (!list) {
      const a = sblkAddrs[s - iblkSblks];
      if (a === -1) list = [];
      else {
        const n = sblk[s].ndblks;
        if (sblk[s].dblkElmts > 2 ** pageBits) throw new Hdf5Unsupported('a paged extensible-array data block');
        const c = new Cursor(fb.bytes(a, 6 + sb.offsets + blockOffsetBytes + n * sb.offsets), 0, sb);
        c.expect('EASB', 'extensible array secondary block');
        c.skip(2 + sb.offsets + blockOffsetBytes);
        list = Array.from({ length: n }, () => c.addr());
      }
      secondary.set(s, list);
    }
    return list;
  };
  return (idx: number) => {
    if (idx < iblkElmts) return element(ib.buf, elemAt + idx * elemSize);
    const s = Math.floor(Math.log2(Math.floor((idx - iblkElmts) / dblkMin) + 1));
    const e = idx - iblkElmts - sblk[s].startIdx;
    const d = Math.floor(e / sblk[s].dblkElmts);
    if (s < iblkSblks) return fromDataBlock(dblkAddrs[sblk[s].startDblk + d], sblk[s].dblkElmts, e % sblk[s].dblkElmts);
    const list = sblockDblks(s);
    return list.length ? fromDataBlock(list[d], sblk[s].dblkElmts, e % sblk[s].dblkElmts) : undefined;
  };
}
