/**
 * `bpProblem`: the Blatter–Pattyn energy J(U, V) of one geometry, with the
 * per-geometry precomputation done once and its gradient from the adjoint.
 */
import { NunatakError } from '../../../core/errors.js';
import { bpCorners, bpFreeMask, type BPCorners, type BPGeometry } from './geometry.js';
import { validateBPSettings, type BPSettings } from './settings.js';
import { bpLayerFractions } from './vertical.js';
import { bpConstants, bpEnergySumTs, type BPConstants } from './energy-ts.js';

/** The energy of one geometry; U, V layout [k][j][i], k = 0 bed, float32. */
export interface BPProblem {
  readonly geom: BPGeometry;
  readonly settings: BPSettings;
  /** Nz·ny·nx. */
  readonly size: number;
  /**
   * J (MPa m a⁻¹): the mean over corners of C_shear + C_slid + C_grav. Entries
   * that are not free are read as 0. Fills gU, gV with ∂J/∂U, ∂J/∂V (0 where
   * not free) when given.
   */
  energy(U: Float32Array, V: Float32Array, gU?: Float32Array, gV?: Float32Array): number;
  /** 1 where a velocity entry is free, 0 where imposed (ice-free cell, no-slip bed). */
  readonly free: Uint8Array;
  /** Releases kernel memory (a no-op for the TypeScript backend). */
  dispose(): void;
}

/** Backend choice: 'ts' is the float64 TypeScript reference. */
export interface BPProblemOptions {
  backend?: 'wasm' | 'ts';
  /** Worker threads for the wasm backend (default: chosen by grid size). */
  threads?: number;
}

/** Checks the length of an energy argument. */
export function bpCheckArg(name: string, a: Float32Array | undefined, size: number, required: boolean): void {
  if (a === undefined) {
    if (required) throw new NunatakError('INPUT', `BPProblem.energy: '${name}' is missing`, { hint: 'pass U and V as Float32Array of Nz·ny·nx' });
    return;
  }
  if (!(a instanceof Float32Array) || a.length !== size) {
    throw new NunatakError('SHAPE', `BPProblem.energy: '${name}' must be a Float32Array of Nz·ny·nx = ${size} values`, {
      hint: `got ${a instanceof Float32Array ? `${a.length} values` : typeof a}; layout [k][j][i], k = 0 at the bed`,
    });
  }
}

/** Throws NUMERIC for a non-finite energy. */
export function bpCheckEnergy(J: number): number {
  if (Number.isNaN(J)) {
    throw new NunatakError('NUMERIC', 'Blatter–Pattyn energy is NaN', { hint: 'U or V (or the geometry) holds NaN or ±Inf values' });
  }
  return J;
}

class TsProblem implements BPProblem {
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

/**
 * The Blatter–Pattyn energy of `geom` under `settings` (validated; throws
 * NunatakError naming a bad field or setting).
 */
export function bpProblem(geom: BPGeometry, settings: BPSettings, opts: BPProblemOptions = {}): BPProblem {
  validateBPSettings(settings);
  const backend = opts.backend ?? 'ts';
  if (backend !== 'ts') {
    throw new NunatakError('CONFIG', `bpProblem: backend '${String(backend)}' is not available yet`, { hint: "use backend: 'ts'" });
  }
  return new TsProblem(geom, { ...settings });
}
