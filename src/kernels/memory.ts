/**
 * KernelMemory: one shared `WasmMemory` that kernel modules import and
 * worker threads share, with a small first-fit allocator handing out
 * Float32Array views. A Field whose data is such a view can be passed to a
 * kernel (and to every band thread) without copying.
 */
import { NunatakError } from '../core/errors.js';
import { wasm, type WasmMemory } from './wasm.js';

const PAGE = 65536;
/** Bytes below this are left to the kernel modules (they carry no static data, but keep room). */
const RESERVED = PAGE;
/** Allocation alignment in bytes (a cache line; also keeps v128 loads aligned). */
const ALIGN = 64;

interface Block {
  start: number;
  size: number;
}

export class KernelMemory {
  readonly memory: WasmMemory;
  private free: Block[] = [];
  private used = new Map<number, number>();
  private top = RESERVED;

  /** @param initialMiB initial size in MiB (grows on demand up to 4 GiB). */
  constructor(initialMiB = 16) {
    const pages = Math.max(2, Math.ceil((initialMiB * 1048576) / PAGE));
    this.memory = new wasm.Memory({ initial: pages, maximum: 65536, shared: true });
  }

  /** The memory's SharedArrayBuffer (views stay valid when it grows). */
  get buffer(): SharedArrayBuffer {
    return this.memory.buffer as unknown as SharedArrayBuffer;
  }

  /** A zero-filled float32 array of n values living in this memory. */
  allocF32(n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new NunatakError('SHAPE', `allocF32: length ${n} is not a non-negative integer`);
    const bytes = Math.max(ALIGN, Math.ceil((n * 4) / ALIGN) * ALIGN);
    let start = -1;
    for (let k = 0; k < this.free.length; k++) {
      const b = this.free[k];
      if (b.size >= bytes) {
        start = b.start;
        if (b.size === bytes) this.free.splice(k, 1);
        else this.free[k] = { start: b.start + bytes, size: b.size - bytes };
        break;
      }
    }
    if (start < 0) {
      start = this.top;
      this.top += bytes;
      const need = Math.ceil(this.top / PAGE) - this.memory.buffer.byteLength / PAGE;
      if (need > 0) {
        try {
          this.memory.grow(need);
        } catch (e) {
          this.top -= bytes;
          throw new NunatakError('EXEC', `kernel memory cannot grow to ${(this.top + bytes) / 1048576} MiB: ${(e as Error).message}`, {
            hint: 'wasm memory is limited to 4 GiB; free fields you no longer need',
          });
        }
      }
    }
    this.used.set(start, bytes);
    const view = new Float32Array(this.memory.buffer, start, n);
    view.fill(0);
    return view;
  }

  /** A copy of `src` living in this memory. */
  fromArray(src: ArrayLike<number>): Float32Array {
    const v = this.allocF32(src.length);
    v.set(src);
    return v;
  }

  /** Give a view from allocF32 back (coalescing neighbours). */
  release(view: Float32Array): void {
    const start = this.ptr(view);
    const bytes = this.used.get(start);
    if (bytes === undefined) throw new NunatakError('INPUT', `release: no allocation starts at byte ${start}`, { hint: 'release each array once, with the view allocF32 returned' });
    this.used.delete(start);
    this.free.push({ start, size: bytes });
    this.free.sort((a, b) => a.start - b.start);
    const merged: Block[] = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.start + last.size === b.start) last.size += b.size;
      else merged.push({ ...b });
    }
    // A free block at the top returns to the bump region.
    const last = merged[merged.length - 1];
    if (last && last.start + last.size === this.top) {
      this.top = last.start;
      merged.pop();
    }
    this.free = merged;
  }

  /** Whether `view` lives in this memory (so kernels can use it without a copy). */
  owns(view: Float32Array): boolean {
    return view.buffer === this.memory.buffer || (view.buffer instanceof SharedArrayBuffer && sameBuffer(view.buffer, this.buffer));
  }

  /** Byte offset of a view in this memory (what kernels take as a pointer). */
  ptr(view: Float32Array): number {
    if (!this.owns(view)) {
      throw new NunatakError('INPUT', 'array does not live in this kernel memory', { hint: 'allocate it with kernelMemory.allocF32() or copy it with fromArray()' });
    }
    return view.byteOffset;
  }

  /** Bytes allocated now (for leak checks). */
  get allocatedBytes(): number {
    let s = 0;
    for (const b of this.used.values()) s += b;
    return s;
  }
}

// After grow(), memory.buffer is a new SharedArrayBuffer object over the same
// memory; old views keep their old (shorter) buffer object. Compare by probing.
function sameBuffer(a: SharedArrayBuffer, b: SharedArrayBuffer): boolean {
  if (a.byteLength === 0 || a.byteLength > b.byteLength) return false;
  const x = new Uint8Array(a, 0, 1);
  const y = new Uint8Array(b, 0, 1);
  const old = y[0];
  x[0] = old ^ 0xff;
  const same = y[0] === (old ^ 0xff);
  x[0] = old;
  return same;
}
