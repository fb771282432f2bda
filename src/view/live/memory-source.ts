/**
 * The live buffers as a ViewSource, so they are served with the same
 * hyperslab reads (map slices strided to ≤ 1024 px, series) as files are.
 */
import { NunatakError } from '../../core/errors.js';
import type { ViewSource } from '../sources/source.js';
import type { LiveHub } from './hub.js';

export function liveSource(hub: LiveHub): ViewSource {
  return {
    kind: 'npy', // in-memory arrays, closest to a .npy
    format: 'live',
    attrs: {},
    get dims() {
      const seen = new Map<string, number>();
      for (const b of hub.buffers()) b.meta.dims.forEach((d, k) => seen.set(d, b.meta.shape[k]));
      return [...seen].map(([name, size]) => ({ name, size }));
    },
    get vars() {
      return hub.buffers().map((b) => b.meta);
    },
    coords: () => hub.coords,
    read(name, start, count) {
      const b = hub.buffer(name);
      if (!b) throw new NunatakError('NOT_FOUND', `live run: no buffer '${name}'`);
      const shape = b.meta.shape;
      const total = count.reduce((a, x) => a * x, 1);
      const out = new Float32Array(total);
      const nd = shape.length;
      if (nd === 0 || total === 0) return out;
      // copy runs along the last axis; idx walks the other axes in C order
      const run = count[nd - 1];
      const idx = new Array<number>(nd - 1).fill(0);
      for (let r = 0; r < total / run; r++) {
        let flat = 0;
        for (let d = 0; d < nd; d++) flat = flat * shape[d] + start[d] + (d < nd - 1 ? idx[d] : 0);
        out.set(b.data.subarray(flat, flat + run), r * run);
        for (let d = nd - 2; d >= 0; d--) {
          if (++idx[d] < count[d]) break;
          idx[d] = 0;
        }
      }
      return out;
    },
    close: () => undefined,
  };
}
