/** Batches of scaled (and optionally augmented) patches, cycling through a shuffled patch list like DLE's generator. */
import { applySymmetry, randomSymmetry } from './augment.js';
import type { CaseData } from './case-data.js';
import type { Channel } from './mapping.js';
import { extractPatch, type PatchRef } from './patches.js';
import { Rng } from './rng.js';

export interface PatchSource {
  cases: CaseData[];
  refs: PatchRef[];
  patch: number;
  inputs: Channel[];
  outputs: Channel[];
}

export class BatchCycler {
  private pos = 0;
  private readonly rng: Rng;
  constructor(
    readonly src: PatchSource,
    private readonly augment: boolean,
    seed: number,
  ) {
    this.rng = new Rng(seed ^ 0x5bd1e995);
  }

  /** Next `n` patches as channels-last X (n,p,p,nin) and Y (n,p,p,nout), scaled by the bounds. */
  next(n: number): { x: Float32Array; y: Float32Array } {
    const { patch: p, inputs, outputs } = this.src;
    const nin = inputs.length;
    const nout = outputs.length;
    const x = new Float32Array(n * p * p * nin);
    const y = new Float32Array(n * p * p * nout);
    const inNames = inputs.map((c) => c.name);
    const outNames = outputs.map((c) => c.name);
    for (let b = 0; b < n; b++) {
      const ref = this.src.refs[this.pos];
      this.pos = (this.pos + 1) % this.src.refs.length;
      extractPatch(this.src.cases, ref, p, inputs, x, b * p * p * nin);
      extractPatch(this.src.cases, ref, p, outputs, y, b * p * p * nout);
      if (this.augment) {
        const s = randomSymmetry(this.rng);
        x.set(applySymmetry(x.subarray(b * p * p * nin, (b + 1) * p * p * nin), p, p, inNames, s), b * p * p * nin);
        y.set(applySymmetry(y.subarray(b * p * p * nout, (b + 1) * p * p * nout), p, p, outNames, s), b * p * p * nout);
      }
    }
    return { x, y };
  }
}
