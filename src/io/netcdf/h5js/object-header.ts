/**
 * HDF5 object headers (version 1 and the "OHDR" version 2): the list of header
 * messages of one object, following continuation blocks. Messages are views
 * into the file's page cache.
 */
import { Cursor, FileBytes, Hdf5Corrupt, Hdf5Unsupported } from './file-bytes.js';
import type { Superblock } from './superblock.js';
import { verifyChecksum } from './checksum.js';

export interface Message {
  type: number;
  data: Buffer;
  /** Creation order of the message, where the header tracks it (version 2, flag 0x04). */
  order?: number;
}

export interface ObjectHeader {
  messages: Message[];
  /** Attributes are indexed by creation order (version 2 header flag 0x08): listed in that order, else by name. */
  attrOrderIndexed: boolean;
}

export const MSG = {
  dataspace: 0x01,
  linkInfo: 0x02,
  datatype: 0x03,
  fillValueOld: 0x04,
  fillValue: 0x05,
  link: 0x06,
  layout: 0x08,
  filters: 0x0b,
  attribute: 0x0c,
  continuation: 0x10,
  symbolTable: 0x11,
  attributeInfo: 0x15,
} as const;

export function readObjectHeader(fb: FileBytes, sb: Superblock, addr: number): ObjectHeader {
  const first = fb.bytes(addr, Math.min(16, fb.size - addr));
  const out: Message[] = [];
  const blocks: Array<[number, number]> = [];
  if (first[0] === 1) {
    const c = new Cursor(first, 8, sb);
    const size = c.u32();
    blocks.push([addr + 16, size]);
  } else if (first.toString('latin1', 0, 4) === 'OHDR') {
    const head = fb.bytes(addr, Math.min(64, fb.size - addr));
    const c = new Cursor(head, 4, sb);
    if (c.u8() !== 2) throw new Hdf5Unsupported('object header version other than 1 or 2');
    const flags = c.u8();
    if (flags & 0x20) c.skip(16); // times
    if (flags & 0x10) c.skip(4); // attribute storage phase change
    const size = c.uint(1 << (flags & 3));
    const chunk0 = fb.bytes(addr, c.pos + size + 4);
    verifyChecksum(chunk0.subarray(0, c.pos + size), chunk0.readUInt32LE(c.pos + size), `object header at ${addr}`);
    blocks.push([addr + c.pos, size]);
    for (let k = 0; k < blocks.length; k++) readBlock(fb, sb, blocks[k], flags, out, blocks);
    return { messages: out, attrOrderIndexed: (flags & 0x08) !== 0 };
  } else {
    throw new Hdf5Corrupt(`no object header at address ${addr}`);
  }
  for (let k = 0; k < blocks.length; k++) readBlockV1(fb, sb, blocks[k], out, blocks);
  return { messages: out, attrOrderIndexed: false };
}

function continuation(m: Buffer, sb: Superblock): [number, number] {
  const c = new Cursor(m, 0, sb);
  return [c.addr(), c.len()];
}

function readBlockV1(fb: FileBytes, sb: Superblock, [addr, size]: [number, number], out: Message[], blocks: Array<[number, number]>): void {
  const buf = fb.bytes(addr, size);
  let p = 0;
  while (p + 8 <= size) {
    const type = buf.readUInt16LE(p);
    const len = buf.readUInt16LE(p + 2);
    const flags = buf[p + 4];
    const data = buf.subarray(p + 8, p + 8 + len);
    p += 8 + len;
    addMessage(type, flags, data, sb, out, blocks);
  }
}

function readBlock(fb: FileBytes, sb: Superblock, [addr, size]: [number, number], hflags: number, out: Message[], blocks: Array<[number, number]>): void {
  const buf = fb.bytes(addr, size);
  let p = 0;
  const first = blocks[0][0] === addr;
  if (!first) {
    if (buf.toString('latin1', 0, 4) !== 'OCHK') throw new Hdf5Corrupt(`no continuation block at address ${addr}`);
    verifyChecksum(buf.subarray(0, size - 4), buf.readUInt32LE(size - 4), `object header continuation at ${addr}`);
    p = 4;
  }
  const end = size - (first ? 0 : 4); // continuation blocks end with a checksum; chunk 0's size excludes it
  const hdr = hflags & 0x04 ? 6 : 4;
  while (p + hdr <= end) {
    const type = buf[p];
    const len = buf.readUInt16LE(p + 1);
    const flags = buf[p + 3];
    const data = buf.subarray(p + hdr, p + hdr + len);
    const order = hdr === 6 ? buf.readUInt16LE(p + 4) : undefined;
    p += hdr + len;
    addMessage(type, flags, data, sb, out, blocks, order);
  }
}

function addMessage(type: number, flags: number, data: Buffer, sb: Superblock, out: Message[], blocks: Array<[number, number]>, order?: number): void {
  if (type === MSG.continuation) {
    const next = continuation(data, sb);
    // A damaged file could chain back to a block already read.
    if (blocks.some(([a]) => a === next[0])) throw new Hdf5Corrupt(`object header continuation loops back to address ${next[0]}`);
    blocks.push(next);
    return;
  }
  if (flags & 0x02) throw new Hdf5Unsupported(`a shared header message (type ${type})`);
  out.push({ type, data, order });
}
