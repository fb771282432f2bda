/**
 * ApplyMasksUDF (virtual detectors): for every frame, the dot product with
 * each of several masks over the signal (nav buffer `intensity`, extraShape
 * [nMasks]). Masks are dense (nMasks × sigSize, C order) or sparse (COO).
 */
import { NunatakError } from '../../core/errors.js';
import { prod } from '../shape.js';
import { UDF, udfEntry, type Tile } from '../udf.js';

export interface DenseMasks {
  kind: 'dense';
  count: number;
  /** count × sigSize values, C order. */
  values: Float32Array | Float64Array;
}

export interface SparseMasks {
  kind: 'sparse';
  count: number;
  /** Entry k belongs to mask `mask[k]`, at flat signal index `index[k]`, with `value[k]`. */
  mask: Int32Array;
  index: Int32Array;
  value: Float32Array | Float64Array;
}

export type Masks = DenseMasks | SparseMasks;

/** A disk of radius `r` (pixels) around (cy, cx) on a 2-D signal: 1 inside, 0 outside. */
export function diskMask(sigShape: number[], cy: number, cx: number, r: number): Float32Array {
  return ringMask(sigShape, cy, cx, 0, r);
}

/** An annulus ri ≤ dist ≤ ro around (cy, cx) on a 2-D signal. */
export function ringMask(sigShape: number[], cy: number, cx: number, ri: number, ro: number): Float32Array {
  const [h, w] = sigShape;
  const m = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(y - cy, x - cx);
      if (d >= ri && d <= ro) m[y * w + x] = 1;
    }
  }
  return m;
}

/** Stack dense masks (each sigSize long). */
export function denseMasks(list: Array<Float32Array | Float64Array>): DenseMasks {
  if (list.length === 0) throw new NunatakError('INPUT', 'denseMasks: need at least one mask');
  const n = list[0].length;
  const values = new Float32Array(list.length * n);
  list.forEach((m, i) => {
    if (m.length !== n) throw new NunatakError('SHAPE', `denseMasks: mask ${i} has ${m.length} values, mask 0 has ${n}`);
    values.set(m, i * n);
  });
  return { kind: 'dense', count: list.length, values };
}

/** The nonzero entries of dense masks as sparse COO masks. */
export function sparseMasks(list: Array<Float32Array | Float64Array>): SparseMasks {
  const mask: number[] = [];
  const index: number[] = [];
  const value: number[] = [];
  list.forEach((m, i) => {
    for (let k = 0; k < m.length; k++) {
      if (m[k] !== 0) {
        mask.push(i);
        index.push(k);
        value.push(m[k]);
      }
    }
  });
  return { kind: 'sparse', count: list.length, mask: Int32Array.from(mask), index: Int32Array.from(index), value: Float64Array.from(value) };
}

export class ApplyMasksUDF extends UDF<{ masks: Masks }> {
  static override entry = udfEntry(import.meta.url, 'ApplyMasksUDF');

  getResultBuffers() {
    const m = this.params.masks;
    if (!m || (m.kind !== 'dense' && m.kind !== 'sparse') || !Number.isInteger(m.count) || m.count < 1) {
      throw new NunatakError('CONFIG', "ApplyMasksUDF: param 'masks' must come from denseMasks([...]) or sparseMasks([...])");
    }
    const sigSize = prod(this.meta.sigShape);
    if (m.kind === 'dense' && m.values.length !== m.count * sigSize) {
      throw new NunatakError('SHAPE', `ApplyMasksUDF: dense masks hold ${m.values.length} values, expected ${m.count} × sig size ${sigSize}`);
    }
    if (m.kind === 'sparse') {
      for (let k = 0; k < m.index.length; k++) {
        if (m.index[k] < 0 || m.index[k] >= sigSize || m.mask[k] < 0 || m.mask[k] >= m.count) {
          throw new NunatakError('SHAPE', `ApplyMasksUDF: sparse entry ${k} (mask ${m.mask[k]}, index ${m.index[k]}) is outside ${m.count} masks × sig size ${sigSize}`);
        }
      }
    }
    return { intensity: this.buffer({ kind: 'nav', extraShape: [m.count], dtype: 'float64', units: '{input}' }) };
  }

  processTile(tile: Tile): void {
    const m = this.params.masks;
    const out = this.results.intensity;
    const sig = this.meta.sigShape;
    const nm = m.count;
    const tsize = prod(tile.sigShape);
    // Flat signal index of every element of this tile's signal region.
    const flat = regionIndices(sig, tile.sigOrigin, tile.sigShape);
    const x = tile.data;
    if (m.kind === 'dense') {
      const sigSize = prod(sig);
      for (let f = 0; f < tile.depth; f++) {
        const o = f * tsize;
        for (let j = 0; j < nm; j++) {
          const mo = j * sigSize;
          let s = 0;
          for (let i = 0; i < tsize; i++) s += x[o + i] * m.values[mo + flat[i]];
          out[f * nm + j] += s;
        }
      }
      return;
    }
    // Sparse: map each entry to its position in this tile, if it falls inside.
    const local = sparseLocal(m, sig, tile.sigOrigin, tile.sigShape);
    for (let f = 0; f < tile.depth; f++) {
      const o = f * tsize;
      for (let k = 0; k < local.pos.length; k++) out[f * nm + local.mask[k]] += x[o + local.pos[k]] * local.value[k];
    }
  }
}

function regionIndices(sig: number[], origin: number[], shape: number[]): Int32Array {
  const n = prod(shape);
  const out = new Int32Array(n);
  const nd = sig.length;
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    let f = 0;
    for (let d = 0; d < nd; d++) f = f * sig[d] + origin[d] + idx[d];
    out[k] = f;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function sparseLocal(m: SparseMasks, sig: number[], origin: number[], shape: number[]) {
  const pos: number[] = [];
  const mask: number[] = [];
  const value: number[] = [];
  const nd = sig.length;
  for (let k = 0; k < m.index.length; k++) {
    let r = m.index[k];
    let local = 0;
    let inside = true;
    const c = new Array<number>(nd);
    for (let d = nd - 1; d >= 0; d--) {
      c[d] = r % sig[d];
      r = Math.floor(r / sig[d]);
    }
    for (let d = 0; d < nd; d++) {
      const v = c[d] - origin[d];
      if (v < 0 || v >= shape[d]) {
        inside = false;
        break;
      }
      local = local * shape[d] + v;
    }
    if (inside) {
      pos.push(local);
      mask.push(m.mask[k]);
      value.push(m.value[k]);
    }
  }
  return { pos, mask, value };
}

