/**
 * Physically right data augmentation (DLE's is a no-op, see docs/emulator.md):
 * the 8 symmetries of the square grid, built from a transpose, a left-right flip
 * and an up-down flip, which also transform vector components:
 *   fliplr (x → −x): negate x components;  flipud (y → −y): negate y components;
 *   transpose (x ↔ y): swap x and y components.
 */
import { NunatakError } from '../core/errors.js';
import { VECTOR_COMPONENTS } from './mapping.js';
import type { Rng } from './rng.js';

export interface Symmetry {
  transpose: boolean;
  fliplr: boolean;
  flipud: boolean;
}

export const IDENTITY: Symmetry = { transpose: false, fliplr: false, flipud: false };

export function randomSymmetry(rng: Rng): Symmetry {
  const k = rng.int(8);
  return { transpose: (k & 1) !== 0, fliplr: (k & 2) !== 0, flipud: (k & 4) !== 0 };
}

/**
 * Apply `s` to a (ny, nx, nc) channels-last block `src` whose channels are
 * `names` (physical field names). Returns a new array; ny must equal nx for a
 * transpose.
 */
export function applySymmetry(src: Float32Array, ny: number, nx: number, names: string[], s: Symmetry): Float32Array {
  const nc = names.length;
  if (src.length !== ny * nx * nc) throw new NunatakError('SHAPE', `augment: block has ${src.length} values, expected ${ny}×${nx}×${nc}`);
  if (s.transpose && ny !== nx) throw new NunatakError('SHAPE', `augment: a transpose needs a square block, got ${ny}×${nx}`);
  // Per output channel: which source channel and with which sign.
  const from = new Int32Array(nc);
  const sign = new Float32Array(nc);
  for (let c = 0; c < nc; c++) {
    const vc = VECTOR_COMPONENTS[names[c]];
    let srcName = names[c];
    if (s.transpose && vc) srcName = vc.partner;
    const idx = names.indexOf(srcName);
    if (idx < 0) {
      throw new NunatakError('CONFIG', `augment: '${names[c]}' is a vector component but its partner '${srcName}' is not a channel`, {
        hint: 'list both components (e.g. ubar and vbar) or turn data_augmentation off',
      });
    }
    from[c] = idx;
    let sg = 1;
    if (vc) {
      // After the transpose the channel holds this field's own axis component.
      if (s.fliplr && vc.axis === 'x') sg = -sg;
      if (s.flipud && vc.axis === 'y') sg = -sg;
    }
    sign[c] = sg;
  }
  const oy = s.transpose ? nx : ny;
  const ox = s.transpose ? ny : nx;
  const out = new Float32Array(src.length);
  for (let j = 0; j < oy; j++) {
    const jj = s.flipud ? oy - 1 - j : j;
    for (let i = 0; i < ox; i++) {
      const ii = s.fliplr ? ox - 1 - i : i;
      // (jj, ii) in the transposed frame → source (row, col).
      const sj = s.transpose ? ii : jj;
      const si = s.transpose ? jj : ii;
      const so = (sj * nx + si) * nc;
      const o = (j * ox + i) * nc;
      for (let c = 0; c < nc; c++) out[o + c] = sign[c] * src[so + from[c]];
    }
  }
  return out;
}
