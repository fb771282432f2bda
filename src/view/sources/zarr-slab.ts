/**
 * A hyperslab of a zarrita array, chunk by chunk: only the chunks the slab
 * overlaps are fetched (`getChunk`; a missing chunk is the fill value), and
 * every decoded chunk must hold exactly its shape's values — zarrita's own
 * `get` silently fills a short or undecodable chunk with zeros.
 */
import type * as zarr from 'zarrita';
import { NunatakError } from '../../core/errors.js';

type AnyArray = zarr.Array<zarr.DataType, zarr.Readable>;

/** Values of `arr` in [start, start + count) per axis, C order, as float64 (bool → 0/1, int64 → nearest double). */
export async function readZarrSlab(arr: AnyArray, start: number[], count: number[], where: string): Promise<Float64Array> {
  const nd = arr.shape.length;
  const cs = arr.chunks;
  const out = new Float64Array(count.reduce((a, b) => a * b, 1));
  if (out.length === 0) return out;
  const outStride = count.map((_, k) => count.slice(k + 1).reduce((a, b) => a * b, 1));
  const lo = start.map((s, k) => Math.floor(s / cs[k]));
  const hi = start.map((s, k) => Math.floor((s + count[k] - 1) / cs[k]));
  const c = lo.slice();
  for (;;) {
    const chunk = await arr.getChunk(c);
    const want = cs.reduce((a, b) => a * b, 1);
    const d = chunk.data as unknown as { get?: (i: number) => boolean } & ArrayLike<number | bigint>;
    if (d.length !== want) {
      throw new NunatakError('IO', `${where}: chunk [${c.join(', ')}] decodes to ${d.length} values, expected ${want} (${cs.join(' × ')})`, { hint: 'the chunk file is truncated or corrupt; rewrite the store' });
    }
    const at = (k: number) => (d.get ? Number(d.get(k)) : Number(d[k]));
    // overlap of this chunk with the slab, in array indices
    const a0 = c.map((ci, k) => Math.max(start[k], ci * cs[k]));
    const a1 = c.map((ci, k) => Math.min(start[k] + count[k], (ci + 1) * cs[k]));
    const idx = a0.slice();
    for (;;) {
      let src = 0;
      let dst = 0;
      for (let k = 0; k < nd; k++) {
        src += (idx[k] - c[k] * cs[k]) * chunk.stride[k];
        dst += (idx[k] - start[k]) * outStride[k];
      }
      out[dst] = at(src);
      let k = nd - 1;
      for (; k >= 0; k--) {
        if (++idx[k] < a1[k]) break;
        idx[k] = a0[k];
      }
      if (k < 0) break;
    }
    let k = nd - 1;
    for (; k >= 0; k--) {
      if (++c[k] <= hi[k]) break;
      c[k] = lo[k];
    }
    if (k < 0) break;
  }
  return out;
}
