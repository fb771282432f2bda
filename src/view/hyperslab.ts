/**
 * Read what the page shows, and only that: a 2-D map slice of a variable at
 * fixed indices of its other dimensions, or a 1-D series; grids larger than
 * MAX_MAP_PX per axis are strided on the server. Reads go in bands of rows so
 * memory stays at a few MB whatever the grid size.
 */
import { NunatakError } from '../core/errors.js';
import { MAX_MAP_PX, MAX_SERIES, type VarMeta } from './protocol.js';
import type { ViewSource } from './sources/source.js';

export interface Slab {
  data: Float32Array;
  shape: number[];
  stride: number[];
  /** Finite min / max (NaN when none). */
  min: number;
  max: number;
}

/** Values read per band (elements), bounding memory of a strided read. */
const BAND = 1 << 22;

/** Finite min / max of `a` (NaN, NaN when it has no finite value). */
export function finiteRange(a: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: NaN, max: NaN };
}

function checkAt(v: VarMeta, at: number[], free: number[], where: string): void {
  if (at.length !== v.shape.length) {
    throw new NunatakError('INPUT', `${where}: 'at' has ${at.length} indices, variable '${v.name}' has ${v.shape.length} dims (${v.dims.join(', ')})`, {
      hint: 'give one index per dimension, e.g. at=0,0,0',
    });
  }
  at.forEach((i, d) => {
    if (free.includes(d)) return;
    if (!Number.isInteger(i) || i < 0 || i >= v.shape[d]) {
      throw new NunatakError('INPUT', `${where}: index ${i} is outside dimension '${v.dims[d]}' of '${v.name}' (length ${v.shape[d]})`, {
        hint: `use 0…${v.shape[d] - 1}`,
      });
    }
  });
}

/** The 2-D (y, x) slice of `v` at indices `at` (map dims' entries ignored), strided to ≤ maxPx per axis. */
export async function readMap(src: ViewSource, v: VarMeta, at: number[], where: string, maxPx = MAX_MAP_PX): Promise<Slab> {
  if (!v.map) throw new NunatakError('INPUT', `${where}: variable '${v.name}' has ${v.shape.length} dimension(s); a map needs 2 or more`, { hint: 'plot it as a series' });
  const { y, x } = v.map;
  checkAt(v, at, [y, x], where);
  const a = Math.min(y, x);
  const b = Math.max(y, x);
  const [nA, nB] = [v.shape[a], v.shape[b]];
  const [sA, sB] = [Math.max(1, Math.ceil(nA / maxPx)), Math.max(1, Math.ceil(nB / maxPx))];
  const [oA, oB] = [Math.ceil(nA / sA), Math.ceil(nB / sB)];
  const out = new Float32Array(oA * oB);
  const band = sA * Math.max(1, Math.floor(BAND / (sA * nB)));
  for (let a0 = 0; a0 < nA; a0 += band) {
    const start = at.map((i, d) => (d === a ? a0 : d === b ? 0 : i));
    const count = v.shape.map((n, d) => (d === a ? Math.min(band, nA - a0) : d === b ? nB : 1));
    const vals = await src.read(v.name, start, count);
    for (let r = 0; r < count[a]; r += sA) {
      const o = ((a0 + r) / sA) * oB;
      for (let c = 0, k = 0; c < nB; c += sB, k++) out[o + k] = vals[r * nB + c];
    }
  }
  // stored (…, x, …, y): transpose to (y, x)
  let data = out;
  let shape = [oA, oB];
  let stride = [sA, sB];
  if (a === x) {
    data = new Float32Array(out.length);
    for (let i = 0; i < oA; i++) for (let j = 0; j < oB; j++) data[j * oA + i] = out[i * oB + j];
    shape = [oB, oA];
    stride = [sB, sA];
  }
  return { data, shape, stride, ...finiteRange(data) };
}

/** A 1-D variable, strided to ≤ MAX_SERIES points. */
export async function readSeries(src: ViewSource, v: VarMeta, where: string): Promise<Slab> {
  if (v.shape.length !== 1) throw new NunatakError('INPUT', `${where}: variable '${v.name}' is not 1-D (dims ${v.dims.join(', ') || 'none'})`, { hint: 'show it as a map' });
  const n = v.shape[0];
  const s = Math.max(1, Math.ceil(n / MAX_SERIES));
  const vals = await src.read(v.name, [0], [n]);
  const data = new Float32Array(Math.ceil(n / s));
  for (let k = 0; k < data.length; k++) data[k] = vals[k * s];
  return { data, shape: [data.length], stride: [s], ...finiteRange(data) };
}
