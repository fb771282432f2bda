/**
 * Blatter–Pattyn velocities by minimising the energy J(U, V) (problem.energy,
 * MPa m a⁻¹) with L-BFGS over the free entries (problem.free; imposed entries
 * stay 0), warm-started from the U, V given. The relative residual reported
 * is ‖∇J(U, V)‖₂ / ‖∇J(0)‖₂: at U = V = 0 only the gravity term has a
 * gradient (the Glen and Weertman regularisations make the others vanish),
 * so it is the driving force and the ratio is free of units and grid size.
 *
 * The L-BFGS vector algebra runs on one of two backends of the same driver
 * (lbfgs-driver.ts): 'wasm' (default when the kernel loads) keeps all U, V
 * entries in kernel memory and does its passes in f64x2 SIMD, 'ts' works on
 * Float64Arrays of the free entries (lbfgs.ts). They differ only in the
 * summation order of dot products.
 */
import { NunatakError } from '../../../core/errors.js';
import { compileKernel } from '../../../kernels/loader.js';
import type { BPProblem } from './index.js';
import type { LbfgsOptions, LbfgsResult } from './lbfgs-driver.js';
import { lbfgsDrive } from './lbfgs-driver.js';
import { lbfgs, type StopReason } from './lbfgs.js';
import { BPWasmVectors } from './lbfgs-wasm.js';
import { LBFGS_MODULE } from './threads.js';

export interface BPSolveOptions {
  /** Largest number of L-BFGS iterations (default 1000). */
  nbitmax?: number;
  /** Relative energy change counted as converged (default 1e-6)… */
  rtol?: number;
  /** …on this many consecutive iterations (default 3). */
  patience?: number;
  /** Relative residual ‖∇J‖/‖∇J(0)‖ counted as converged (default 1e-4). */
  gtol?: number;
  /** L-BFGS memory (default 10). */
  memory?: number;
  /** Called after each iteration with the energy (MPa m a⁻¹) and relative residual. */
  onIter?: (it: number, energy: number, residual: number) => void;
  /**
   * L-BFGS vector backend: 'wasm' (default when the lbfgs kernel is
   * available): SIMD passes over all entries in kernel memory, on the
   * setBPThreads pool for large grids; 'ts': TypeScript loops over the free entries.
   */
  vectors?: 'ts' | 'wasm';
}

export interface BPSolveResult {
  iterations: number;
  /** Energy evaluations (each with its gradient). */
  evaluations: number;
  /** Final energy J (MPa m a⁻¹). */
  energy: number;
  /** Relative energy change on the last iteration. */
  relChange: number;
  /** ‖∇J‖₂ over the free entries at the answer. */
  gradNorm: number;
  /** ‖∇J‖₂ / ‖∇J(0)‖₂. */
  residual: number;
  converged: boolean;
  reason: StopReason;
  /** Energy after each iteration (history[0]: the warm start). */
  history: number[];
  /** Which vector backend ran. */
  vectors: 'ts' | 'wasm';
  /** Wall time of the solve and of its energy + gradient evaluations (ms); the rest is the L-BFGS vector algebra. */
  timeMs: { total: number; energy: number };
}

let wasmAvailable: boolean | undefined;

/** Whether the lbfgs kernel loads (built, or buildable on first use). */
function lbfgsKernelAvailable(): boolean {
  if (wasmAvailable === undefined) {
    try {
      compileKernel(LBFGS_MODULE);
      wasmAvailable = true;
    } catch {
      wasmAvailable = false;
    }
  }
  return wasmAvailable;
}

/** Index list of the free entries. */
function freeIndex(free: Uint8Array): Int32Array {
  let c = 0;
  for (let k = 0; k < free.length; k++) if (free[k]) c++;
  const idx = new Int32Array(c);
  c = 0;
  for (let k = 0; k < free.length; k++) if (free[k]) idx[c++] = k;
  return idx;
}

/**
 * Minimise the problem's energy; U and V (m a⁻¹, [k][j][i], k = 0 at the bed)
 * are the warm start and receive the answer. Never throws on
 * non-convergence: `converged` and `reason` say what happened (see
 * `checkConverged`).
 */
export function solveBP(problem: BPProblem, U: Float32Array, V: Float32Array, o: BPSolveOptions = {}): BPSolveResult {
  const size = problem.size;
  if (U.length !== size || V.length !== size) {
    throw new NunatakError('SHAPE', `solveBP: U and V need ${size} values (Nz·ny·nx), got ${U.length} and ${V.length}`);
  }
  const vectors = o.vectors ?? (lbfgsKernelAvailable() ? 'wasm' : 'ts');
  if (vectors !== 'ts' && vectors !== 'wasm') {
    throw new NunatakError('CONFIG', `solveBP: vectors '${String(vectors)}' is unknown`, { hint: "use 'wasm' (default) or 'ts'" });
  }
  const t0 = performance.now();
  const idx = freeIndex(problem.free);
  const nf = idx.length;
  const gU = new Float32Array(size);
  const gV = new Float32Array(size);
  // Imposed entries are 0 (ice-free cells, no-slip bed).
  for (let k = 0; k < size; k++) {
    if (!problem.free[k]) {
      U[k] = 0;
      V[k] = 0;
    }
  }
  const zeros = new Float32Array(size);
  problem.energy(zeros, zeros, gU, gV);
  const zeroMs = performance.now() - t0;
  let g0 = 0;
  for (let c = 0; c < nf; c++) g0 += gU[idx[c]] ** 2 + gV[idx[c]] ** 2;
  g0 = Math.sqrt(g0);
  const result = (r: LbfgsResult, evaluations: number, energyMs: number): BPSolveResult => ({
    iterations: r.iterations, evaluations, energy: r.f, relChange: r.relChange, gradNorm: r.gradNorm, converged: r.converged, reason: r.reason, history: r.history,
    residual: g0 > 0 ? r.gradNorm / g0 : 0, vectors, timeMs: { total: performance.now() - t0, energy: zeroMs + energyMs },
  });
  if (nf === 0 || g0 === 0) {
    // No free entry or no driving force: U = V = 0 is the minimum.
    U.fill(0);
    V.fill(0);
    const e = problem.energy(U, V);
    return result({ f: e, iterations: 0, evaluations: 1, relChange: 0, gradNorm: 0, converged: true, reason: 'gtol', history: [e] }, 1, 0);
  }
  const m = o.memory ?? 10;
  const opts: LbfgsOptions = {
    maxIter: o.nbitmax ?? 1000,
    rtol: o.rtol ?? 1e-6,
    patience: o.patience ?? 3,
    gtol: (o.gtol ?? 1e-4) * g0,
    memory: m,
    onIter: o.onIter ? (it, f, gn) => o.onIter!(it, f, gn / g0) : undefined,
  };
  if (vectors === 'wasm') {
    const v = new BPWasmVectors(problem, U, V, m);
    try {
      const r = lbfgsDrive(v, opts);
      return result(r, r.evaluations + 1, v.energyMs);
    } finally {
      v.dispose();
    }
  }
  const x = new Float64Array(2 * nf);
  for (let c = 0; c < nf; c++) {
    x[c] = U[idx[c]];
    x[nf + c] = V[idx[c]];
  }
  let energyMs = 0;
  const fun = (xv: Float64Array, g: Float64Array): number => {
    for (let c = 0; c < nf; c++) {
      U[idx[c]] = xv[c];
      V[idx[c]] = xv[nf + c];
    }
    const te = performance.now();
    const e = problem.energy(U, V, gU, gV);
    energyMs += performance.now() - te;
    for (let c = 0; c < nf; c++) {
      g[c] = gU[idx[c]];
      g[nf + c] = gV[idx[c]];
    }
    return e;
  };
  const r = lbfgs(fun, x, opts);
  // The last evaluation may have been a rejected trial point: write the answer back.
  for (let c = 0; c < nf; c++) {
    U[idx[c]] = x[c];
    V[idx[c]] = x[nf + c];
  }
  return result(r, r.evaluations + 1, energyMs);
}

/** The settings a user changes when a solve does not converge, for error messages. */
export const SOLVER_HINT = 'raise processes.iceflow.solver_nbitmax, loosen solver_rtol / solver_gtol, or check the input (thk, usurf, arrhenius, slidingco)';

/**
 * Throws (on_fail 'error') or returns a warning text (on_fail 'warn') when
 * the solve did not converge; returns undefined when it did.
 */
export function checkConverged(r: BPSolveResult, onFail: 'error' | 'warn', where: string): string | undefined {
  if (!Number.isFinite(r.energy)) {
    throw new NunatakError('NUMERIC', `${where}: the Blatter–Pattyn energy is ${r.energy} after ${r.iterations} iterations`, { hint: SOLVER_HINT });
  }
  if (r.converged) return undefined;
  const why = r.reason === 'maxiter' ? 'reached the iteration limit' : 'line search could not lower the energy any further';
  const msg = `${where}: Blatter–Pattyn solve did not converge (${why}) after ${r.iterations} iterations: relative residual ${r.residual.toExponential(2)}, last relative energy change ${r.relChange.toExponential(2)}`;
  if (onFail === 'error') throw new NunatakError('NUMERIC', msg, { hint: `${SOLVER_HINT}; processes.iceflow.solver_on_fail: warn keeps going with a warning` });
  return msg;
}
