/**
 * NetCDF4 / HDF5 backend in plain JavaScript, for the common files: opening
 * needs no wasm start-up (h5wasm's costs ~0.35 s per process), metadata is
 * read on demand, and data goes from the file straight into the result
 * array. Anything outside what h5js/ decodes (see there: dense storage
 * beyond one node, paged chunk indexes, version 2 B-tree chunk indexes,
 * filters other than deflate and shuffle, shared messages, ...) makes `open` throw
 * `Hdf5Unsupported`, and `Dataset.open` falls back to the h5wasm backend.
 */
import { NunatakError } from '../../core/errors.js';
import { Cursor, FileBytes, Hdf5Unsupported } from './h5js/file-bytes.js';
import { listChunks } from './h5js/chunk-index.js';
import { denseObjects } from './h5js/dense-storage.js';
import { GlobalHeap } from './h5js/global-heap.js';
import { byName, groupLinks } from './h5js/links.js';
import { MSG, readObjectHeader, type ObjectHeader } from './h5js/object-header.js';
import { parseAttribute, parseDataspace, parseDatatype, parseFillValue, parseFilters, parseLayout, type Datatype, type RawAttribute } from './h5js/messages.js';
import { READABLE_FILTERS, readSlab, type StoredData } from './h5js/read-slab.js';
import { readSuperblock, type Superblock } from './h5js/superblock.js';
import { decodeValues, numericCtor, swapBytes } from './h5js/values.js';
import { nc4Model, readAttrs, readAttrTypes, type H5Attr, type H5Entry, type H5TypeMeta } from './nc4-model.js';
import type { Attrs, Backend, DType, DimInfo, NcFormat, RawArray, VarInfo } from './types.js';

export { Hdf5Unsupported };

const typeMeta = (t: Datatype): H5TypeMeta => ({ type: t.cls, size: t.size, signed: t.signed, vlen: t.vlen });

export class Hdf5JsBackend implements Backend {
  readonly format: NcFormat = 'hdf5';
  readonly dims: DimInfo[] = [];
  readonly vars: VarInfo[] = [];
  readonly attrs: Attrs;
  readonly attrTypes: Record<string, DType>;
  private stored = new Map<string, StoredData & { type: Datatype }>();
  private sb: Superblock;
  private heap: GlobalHeap;

  private constructor(
    readonly path: string,
    private fb: FileBytes,
  ) {
    this.sb = readSuperblock(fb);
    this.heap = new GlobalHeap(fb, this.sb);
    const rootHeader = readObjectHeader(fb, this.sb, this.sb.root);
    const rootMsgs = rootHeader.messages;
    const rootAttrs = this.attributes(rootHeader);
    this.attrs = readAttrs(rootAttrs, path);
    this.attrTypes = readAttrTypes(rootAttrs);
    const links = groupLinks(fb, this.sb, rootMsgs);
    const byAddr = new Map(links.map((l) => [l.addr, l.name]));
    const entries: H5Entry[] = [];
    const data = new Map<string, StoredData & { type: Datatype }>();
    for (const link of links) {
      const header = readObjectHeader(fb, this.sb, link.addr);
      const msgs = header.messages;
      const layoutMsg = msgs.find((m) => m.type === MSG.layout);
      if (!layoutMsg) continue; // a group or a named datatype
      const one = (type: number, what: string): Buffer => {
        const m = msgs.find((x) => x.type === type);
        if (!m) throw new Hdf5Unsupported(`dataset '${link.name}' without a ${what} message`);
        return m.data;
      };
      const type = parseDatatype(one(MSG.datatype, 'datatype'), this.sb);
      const space = parseDataspace(one(MSG.dataspace, 'dataspace'), this.sb);
      const layout = parseLayout(layoutMsg.data, this.sb, space.shape.length);
      const fm = msgs.find((m) => m.type === MSG.filters);
      const filters = fm ? parseFilters(fm.data, this.sb) : [];
      const fillMsg = msgs.find((m) => m.type === MSG.fillValue) ?? msgs.find((m) => m.type === MSG.fillValueOld);
      const attrs = this.attributes(header);
      const dimList = attrs.find((a) => a.name === 'DIMENSION_LIST');
      entries.push({
        name: link.name,
        attrs,
        meta: {
          ...typeMeta(type),
          shape: space.shape,
          maxshape: space.maxshape,
          chunks: layout.kind === 'chunked' ? layout.chunks : undefined,
        },
        attachedScale: (axis) => {
          const refs = dimList?.value() as number[][] | undefined;
          const addr = refs?.[axis]?.[0];
          if (addr === undefined) return undefined;
          const name = byAddr.get(addr);
          if (name === undefined) throw new Hdf5Unsupported(`a dimension scale outside the root group (variable '${link.name}')`);
          return name;
        },
        filters: filters.map((f) => f.name || String(f.id)),
      });
      data.set(link.name, {
        type,
        shape: space.shape,
        maxshape: space.maxshape,
        elemSize: type.size,
        layout,
        filters,
        fill: fillMsg ? parseFillValue(fillMsg.data, this.sb, fillMsg.type) : undefined,
      });
    }
    const model = nc4Model(path, entries);
    this.dims.push(...model.dims);
    this.vars.push(...model.vars);
    // Everything a read could need is checked now: a read cannot fall back to h5wasm later.
    for (const v of model.vars) {
      const d = data.get(v.name)!;
      const bad = d.filters.find((f) => !READABLE_FILTERS.has(f.id));
      if (bad) throw new Hdf5Unsupported(`filter '${bad.name || bad.id}' on variable '${v.name}'`);
      if (d.type.cls !== 3 && !numericCtor(d.type)) throw new Hdf5Unsupported(`the element type of variable '${v.name}'`);
      // A version 1 B-tree is walked at the first read (thousands of small chunks take a while);
      // fixed and extensible arrays are read now, as paged ones go to h5wasm.
      if (d.layout.kind === 'chunked' && d.layout.index.type !== 'btree1') this.chunksOf(d);
      this.stored.set(v.name, d);
    }
  }

  /**
   * Attributes of an object, in creation order where the object indexes it,
   * else in name order (as h5wasm lists them); values decoded on demand.
   */
  private attributes(header: ObjectHeader): H5Attr[] {
    const msgs = header.messages;
    const raw: Array<RawAttribute & { order: number }> = msgs
      .filter((m) => m.type === MSG.attribute)
      .map((m) => ({ ...parseAttribute(m.data, this.sb), order: m.order ?? 0 }));
    const info = msgs.find((m) => m.type === MSG.attributeInfo);
    if (info) {
      const c = new Cursor(info.data, 2 + (info.data[1] & 1 ? 2 : 0), this.sb);
      const heap = c.addr();
      const names = c.addr();
      // Attribute name index records: heap ID (8 bytes), flags (1), creation order (4), hash (4).
      if (heap !== -1) for (const o of denseObjects(this.fb, this.sb, heap, names)) raw.push({ ...parseAttribute(o.data, this.sb), order: o.record.readUInt32LE(9) });
    }
    raw.sort(header.attrOrderIndexed ? (a, b) => a.order - b.order : byName);
    return raw.map((a) => {
      let cached: { v: unknown } | undefined;
      return {
        name: a.name,
        meta: typeMeta(a.type),
        value: () => {
          cached ??= { v: this.attrValue(a) };
          return cached.v;
        },
      };
    });
  }

  private attrValue(a: RawAttribute): unknown {
    const n = a.space.shape.reduce((x, y) => x * y, 1);
    const v = decodeValues(a.type, a.data, n, this.sb, this.heap);
    if (v === undefined) return undefined;
    return a.space.shape.length === 0 ? v[0] : v;
  }

  static open(path: string): Hdf5JsBackend {
    const fb = new FileBytes(path);
    try {
      return new Hdf5JsBackend(path, fb);
    } catch (e) {
      fb.close();
      throw e;
    }
  }

  private chunksOf(d: StoredData): void {
    if (d.layout.kind === 'chunked') d.chunks ??= listChunks(this.fb, this.sb, d.layout.index, d.shape, d.maxshape, d.layout.chunks, d.elemSize, d.filters.length > 0);
  }

  readRaw(v: VarInfo, start: number[], count: number[]): RawArray {
    const d = this.stored.get(v.name)!;
    const n = count.reduce((a, b) => a * b, 1);
    try {
      this.chunksOf(d);
      const C = numericCtor(d.type);
      if (C) {
        const out = new C(n);
        const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
        readSlab(this.fb, d, start, count, bytes);
        if (d.type.bigEndian) swapBytes(bytes, d.type.size);
        return out as RawArray;
      }
      const bytes = Buffer.alloc(n * d.elemSize);
      readSlab(this.fb, d, start, count, bytes);
      return decodeValues(d.type, bytes, n, this.sb, this.heap) as string[];
    } catch (e) {
      throw new NunatakError('IO', `${this.path}: cannot read variable '${v.name}' (${(e as Error).message ?? e})`, {
        hint: 'the file is truncated or damaged',
        cause: e,
      });
    }
  }

  close(): void {
    this.fb.close();
  }
}
