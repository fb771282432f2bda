/**
 * A raw binary file of frames (little-endian, C order), read by position
 * (pread) so only the frames a partition needs are ever in memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import { checkDtype, itemSize, type DType, type TypedArray } from '../dtype.js';
import { checkShape, prod } from '../shape.js';
import { Dataset, type DatasetDesc } from './dataset.js';

export interface RawDatasetOptions {
  path: string;
  dtype: DType;
  navShape: number[];
  sigShape: number[];
  /** Bytes to skip at the start of the file (header). */
  offset?: number;
  syncOffset?: number;
}

export class RawDataset extends Dataset {
  readonly path: string;
  readonly offset: number;
  private fd: number | undefined;

  constructor(o: RawDatasetOptions) {
    const path = resolve(o.path);
    const dtype = checkDtype(o.dtype, `raw dataset '${path}'`);
    const nav = checkShape(o.navShape, `raw dataset '${path}' navShape`);
    const sig = checkShape(o.sigShape, `raw dataset '${path}' sigShape`);
    const offset = o.offset ?? 0;
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new NunatakError('NOT_FOUND', `raw dataset: cannot open '${path}': ${(e as Error).message}`, { cause: e });
    }
    const size = fstatSync(fd).size;
    const frameBytes = prod(sig) * itemSize(dtype);
    const dataBytes = size - offset;
    const need = prod(nav) * frameBytes;
    const syncOffset = o.syncOffset ?? 0;
    const bad = dataBytes < 0 || dataBytes % frameBytes !== 0 || (syncOffset === 0 && dataBytes !== need);
    if (bad) {
      closeSync(fd);
      throw new NunatakError(
        'SHAPE',
        `raw dataset '${path}': file has ${size} bytes (${dataBytes} after offset ${offset}), but navShape ${JSON.stringify(nav)} × sigShape ${JSON.stringify(sig)} of ${dtype} needs ${need}`,
        { hint: 'check navShape, sigShape, dtype and offset; with syncOffset ≠ 0 the data must be a whole number of frames' },
      );
    }
    super(nav, sig, dtype, syncOffset, dataBytes / frameBytes, `raw dataset '${path}'`);
    this.path = path;
    this.offset = offset;
    this.fd = fd;
  }

  describe(): DatasetDesc {
    return {
      kind: 'raw',
      path: this.path,
      dtype: this.dtype,
      navShape: this.navShape,
      sigShape: this.sigShape,
      offset: this.offset,
      syncOffset: this.syncOffset,
    };
  }

  protected readStored(start: number, count: number, out: TypedArray, outOffset: number): void {
    if (this.fd === undefined) this.fd = openSync(this.path, 'r');
    const bpe = out.BYTES_PER_ELEMENT;
    const frameBytes = this.sigSize * bpe;
    let want = count * frameBytes;
    let pos = this.offset + start * frameBytes;
    let at = out.byteOffset + outOffset * bpe;
    const view = new Uint8Array(out.buffer, 0, out.buffer.byteLength);
    while (want > 0) {
      const n = readSync(this.fd, view, at, want, pos);
      if (n <= 0) throw new NunatakError('IO', `raw dataset '${this.path}': short read at byte ${pos} (file truncated?)`);
      want -= n;
      pos += n;
      at += n;
    }
  }

  override close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
