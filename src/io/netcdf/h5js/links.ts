/**
 * The members of an HDF5 group: link messages (in the header or in dense
 * storage) for new-style groups, the symbol table (version 1 B-tree of SNOD
 * nodes plus a local heap of names) for old-style ones. Hard links only.
 */
import { Cursor, FileBytes, Hdf5Corrupt, Hdf5Unsupported } from './file-bytes.js';
import { denseObjects } from './dense-storage.js';
import { MSG, type Message } from './object-header.js';
import type { Superblock } from './superblock.js';

export interface Link {
  name: string;
  /** Object header address of the target. */
  addr: number;
  /** Creation order, when the group tracks it. */
  order?: number;
}

/** A group's hard links, in creation order where the group indexes it, else in name order (as h5wasm lists them). */
export function groupLinks(fb: FileBytes, sb: Superblock, msgs: Message[]): Link[] {
  const st = msgs.find((m) => m.type === MSG.symbolTable);
  if (st) {
    const c = new Cursor(st.data, 0, sb);
    return symbolTable(fb, sb, c.addr(), c.addr()).sort(byName);
  }
  const out: Link[] = [];
  let orderIndexed = false;
  for (const m of msgs) if (m.type === MSG.link) pushLink(out, m.data, sb);
  const info = msgs.find((m) => m.type === MSG.linkInfo);
  if (info) {
    const c = new Cursor(info.data, 0, sb);
    c.skip(1);
    const flags = c.u8();
    orderIndexed = (flags & 2) !== 0;
    if (flags & 1) c.skip(8);
    const heap = c.addr();
    const names = c.addr();
    if (heap !== -1) for (const o of denseObjects(fb, sb, heap, names)) pushLink(out, o.data, sb);
  }
  return orderIndexed ? out.sort((a, b) => (a.order ?? 0) - (b.order ?? 0)) : out.sort(byName);
}

/** Sort key of HDF5's name index: byte-wise (for ASCII names, code unit order). */
export const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function pushLink(out: Link[], b: Buffer, sb: Superblock): void {
  const c = new Cursor(b, 0, sb);
  if (c.u8() !== 1) throw new Hdf5Unsupported('link message version other than 1');
  const flags = c.u8();
  const type = flags & 0x08 ? c.u8() : 0;
  const order = flags & 0x04 ? c.uint(8) : undefined;
  if (flags & 0x10) c.skip(1);
  const nameLen = c.uint(1 << (flags & 3));
  const name = b.toString('utf8', c.pos, c.pos + nameLen);
  c.skip(nameLen);
  if (type !== 0) return; // soft and external links point outside the netCDF model
  out.push({ name, addr: c.addr(), order });
}

function symbolTable(fb: FileBytes, sb: Superblock, btree: number, heapAddr: number): Link[] {
  const h = new Cursor(fb.bytes(heapAddr, 8 + 2 * sb.lengths + sb.offsets), 0, sb);
  h.expect('HEAP', 'local heap');
  h.skip(4);
  const dataSize = h.len();
  h.len();
  const heap = fb.bytes(h.addr(), dataSize);
  const nameAt = (off: number) => heap.toString('utf8', off, heap.indexOf(0, off));
  const out: Link[] = [];
  const seen = new Set<number>();
  const visit = (addr: number): void => {
    // A damaged file could point a node back at one already read.
    if (seen.has(addr)) throw new Hdf5Corrupt(`B-tree node at ${addr} is reached twice`);
    seen.add(addr);
    const head = new Cursor(fb.bytes(addr, 8 + 2 * sb.offsets), 0, sb);
    head.expect('TREE', 'group B-tree node');
    if (head.u8() !== 0) throw new Hdf5Corrupt(`group B-tree node at ${addr} is not a group node`);
    const level = head.u8();
    const n = head.u16();
    const body = new Cursor(fb.bytes(addr + head.pos + 2 * sb.offsets, (n + 1) * sb.lengths + n * sb.offsets), 0, sb);
    for (let k = 0; k < n; k++) {
      body.len(); // key
      const child = body.addr();
      if (level > 0) visit(child);
      else snod(child);
    }
  };
  const snod = (addr: number): void => {
    const head = new Cursor(fb.bytes(addr, 8), 0, sb);
    head.expect('SNOD', 'symbol table node');
    head.skip(2);
    const n = head.u16();
    const entry = 2 * sb.offsets + 24;
    const c = new Cursor(fb.bytes(addr + 8, n * entry), 0, sb);
    for (let k = 0; k < n; k++) {
      const start = c.pos;
      const nameOff = c.addr();
      const obj = c.addr();
      out.push({ name: nameAt(nameOff), addr: obj });
      c.pos = start + entry;
    }
  };
  visit(btree);
  return out;
}
