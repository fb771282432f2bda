/**
 * DLE's patch sampler: random (case, frame, top-left corner) patches of
 * p × p cells, kept only when the ice thickness at the patch centre exceeds
 * `thr_ice` (glacier maptypes), 5× oversampled and shuffled once with the seed.
 */
import { NunatakError } from '../core/errors.js';
import type { CaseData } from './case-data.js';
import type { Channel } from './mapping.js';
import { Rng } from './rng.js';

export interface PatchRef {
  c: number;
  t: number;
  j: number;
  i: number;
}

/** DLE's per-epoch patch count Σ Nt·(⌊Ny/p⌋+1)·(⌊Nx/p⌋+1). */
export function patchesPerEpoch(cases: CaseData[], p: number): number {
  return cases.reduce((s, c) => s + c.nt * (Math.floor(c.ny / p) + 1) * (Math.floor(c.nx / p) + 1), 0);
}

/** Patch size for `patch_size` < 0: the largest power of 2 ≤ the smallest grid dimension. */
export function resolvePatchSize(requested: number, cases: CaseData[]): number {
  const minDim = Math.min(...cases.map((c) => Math.min(c.ny, c.nx)));
  if (requested < 0) return 2 ** Math.floor(Math.log2(minDim));
  if (requested > minDim) {
    const bad = cases.find((c) => Math.min(c.ny, c.nx) === minDim);
    throw new NunatakError('SHAPE', `patch_size ${requested} is larger than the grid ${bad?.ny}×${bad?.nx} of case ${bad?.source}`, {
      hint: 'use a smaller patch_size or -1 for the largest power of 2 that fits',
    });
  }
  return requested;
}

/**
 * Draw the shuffled patch list. `thrIce` = null turns the thickness filter off.
 * Gives up with an error when too few patches pass the filter.
 */
export function samplePatches(cases: CaseData[], p: number, seed: number, thrIce: number | null, oversample = 5): PatchRef[] {
  const rng = new Rng(seed);
  const want = oversample * patchesPerEpoch(cases, p);
  const out: PatchRef[] = [];
  const maxTries = want * 200;
  let tries = 0;
  while (out.length < want) {
    if (++tries > maxTries) {
      throw new NunatakError('INPUT', `only ${out.length} of ${want} patches have ice thicker than thr_ice=${thrIce} m at their centre`, {
        hint: 'lower thr_ice, use a smaller patch_size, or check the thk field',
      });
    }
    const c = rng.int(cases.length);
    const cs = cases[c];
    const t = rng.int(cs.nt);
    const j = rng.int(Math.max(1, cs.ny - p));
    const i = rng.int(Math.max(1, cs.nx - p));
    if (thrIce !== null) {
      const thk = cs.fields.get('thk');
      if (!thk) throw new NunatakError('NOT_FOUND', `${cs.source}: the ice-thickness patch filter needs field 'thk'`);
      const h = Math.floor(p / 2);
      if (!(thk[t * cs.ny * cs.nx + (j + h) * cs.nx + i + h] > thrIce)) continue;
    }
    out.push({ c, t, j, i });
  }
  return rng.shuffle(out);
}

/** Copy a patch's channels, scaled by their bounds, into `dst` at `offset` (p, p, nc channels-last). */
export function extractPatch(cases: CaseData[], ref: PatchRef, p: number, channels: Channel[], dst: Float32Array, offset: number): void {
  const cs = cases[ref.c];
  const nc = channels.length;
  channels.forEach((ch, k) => {
    const f = cs.fields.get(ch.name)!;
    const base = ref.t * cs.ny * cs.nx;
    const inv = 1 / ch.bound;
    for (let a = 0; a < p; a++) {
      const row = base + (ref.j + a) * cs.nx + ref.i;
      for (let b = 0; b < p; b++) dst[offset + (a * p + b) * nc + k] = f[row + b] * inv;
    }
  });
}
