/**
 * The BPProblem interface (the energy of one geometry) and the argument
 * checks its backends share.
 */
import { NunatakError } from '../../../core/errors.js';
import type { BPGeometry } from './geometry.js';
import type { BPSettings } from './settings.js';

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
  /** Worker threads for the wasm backend (default: the setBPThreads pool when the grid is large enough). */
  threads?: number;
  /** wasm backend: false runs every corner on the f64 scalar path instead of f32x4 (default true). */
  simd?: boolean;
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

/** Throws when a disposed problem is used. */
export function bpCheckLive(disposed: boolean): void {
  if (disposed) throw new NunatakError('INPUT', 'BPProblem.energy called after dispose()', { hint: 'create a new problem with bpProblem()' });
}
