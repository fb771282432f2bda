/**
 * The float64 TypeScript backend of {@link BPProblem}: the reference the wasm
 * kernel is tested against.
 */
import { bpCorners, bpFreeMask, type BPCorners, type BPGeometry } from './geometry.js';
import type { BPSettings } from './settings.js';
import { bpLayerFractions } from './vertical.js';
import { bpConstants, bpEnergySumTs, type BPConstants } from './energy-ts.js';
import { bpCheckArg, bpCheckEnergy, type BPProblem } from './problem-api.js';

export class TsProblem implements BPProblem {
  readonly size: number;
  readonly free: Uint8Array;
  private readonly cor: BPCorners;
  private readonly K: BPConstants;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly gu: Float64Array;
  private readonly gv: Float64Array;

  constructor(readonly geom: BPGeometry, readonly settings: BPSettings) {
    this.cor = bpCorners(geom, settings);
    this.K = bpConstants(settings, geom.nx, geom.ny, geom.dx, bpLayerFractions(settings.Nz, settings.vert_spacing));
    this.free = bpFreeMask(geom, settings);
    this.size = this.free.length;
    this.u = new Float64Array(this.size);
    this.v = new Float64Array(this.size);
    this.gu = new Float64Array(this.size);
    this.gv = new Float64Array(this.size);
  }

  energy(U: Float32Array, V: Float32Array, gU?: Float32Array, gV?: Float32Array): number {
    const n = this.size;
    bpCheckArg('U', U, n, true);
    bpCheckArg('V', V, n, true);
    bpCheckArg('gU', gU, n, false);
    bpCheckArg('gV', gV, n, false);
    const { u, v, gu, gv, free } = this;
    for (let i = 0; i < n; i++) {
      u[i] = free[i] ? U[i] : 0;
      v[i] = free[i] ? V[i] : 0;
    }
    const grad = gU !== undefined || gV !== undefined;
    if (grad) {
      gu.fill(0);
      gv.fill(0);
    }
    const J = bpEnergySumTs(this.cor, this.K, u, v, grad ? gu : undefined, grad ? gv : undefined) / this.cor.n;
    if (grad) {
      const w = 1 / this.cor.n;
      for (let i = 0; i < n; i++) {
        if (gU) gU[i] = free[i] ? gu[i] * w : 0;
        if (gV) gV[i] = free[i] ? gv[i] * w : 0;
      }
    }
    return bpCheckEnergy(J);
  }

  dispose(): void {}
}

