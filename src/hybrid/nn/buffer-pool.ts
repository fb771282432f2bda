/**
 * Recycled Float32Arrays for the LSTM's big per-iteration buffers (gates,
 * states, activations: ~1 GB per training iteration at the size).
 * Fresh large arrays are fresh mmap'd pages — ~0.4 ms/MB of page faults
 * here against ~0.05 ms/MB to rewrite a recycled one. At most one array per
 * length is kept, so the pool holds one iteration's working set.
 * Callers must write every entry they later read: taken arrays hold old data.
 */
const free = new Map<number, Float32Array>();

/** A Float32Array of length n, recycled when one is available (contents undefined). */
export function takeBuffer(n: number): Float32Array {
  const b = free.get(n);
  if (b === undefined) return new Float32Array(n);
  free.delete(n);
  return b;
}

/** Hand arrays back once nothing reads them any more (whole arrays, not views). */
export function giveBuffers(...bufs: Float32Array[]): void {
  for (const b of bufs) if (b.byteOffset === 0 && b.length === b.buffer.byteLength / 4 && !free.has(b.length)) free.set(b.length, b);
}

/** Fill every pooled array with NaN (tests: proves callers write before they read). */
export function poisonFreeBuffers(): number {
  for (const b of free.values()) b.fill(NaN);
  return free.size;
}
