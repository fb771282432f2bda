/**
 * A BP emulator against nunatak's solved Blatter–Pattyn velocities on one
 * geometry: surface-speed agreement (IGM-style check), the emulator field's
 * energy against the solver's minimum, and the wall time of each.
 */
import { performance } from 'node:perf_hooks';
import { defaultBPSettings, bpProblem, solveBP } from '../sim/index.js';
import type { BPEmulator, BPInputGeometry } from './bp-emulator.js';
import { surfaceSpeedAgreement } from './bp-surface-speed.js';

export interface BPComparison {
  /** Mean |s_emu − s_solved| / s_solved over cells where the solved surface speed s exceeds 1 m a⁻¹. */
  meanRelSurfSpeed: number;
  cells: number;
  /** The same on staggered-grid corners with ice in all four cells (what the energy determines; bp-surface-speed.ts). */
  meanRelSurfSpeedCorners: number;
  corners: number;
  maxSolvedSurfSpeed: number;
  maxEmulatedSurfSpeed: number;
  /** Energies (MPa m a⁻¹) of the emulator field and of the solver's answer. */
  Jemulated: number;
  Jsolved: number;
  /** Jemulated / Jsolved (1 = at the minimum; both are negative at a useful field). */
  energyRatio: number;
  emulatorMs: number;
  solveMs: number;
  iterations: number;
  converged: boolean;
}

/** Compare on `g`; the solver starts from zero velocity (a cold solve) with up to `nbitmax` L-BFGS iterations. */
export async function compareEmulatedSolved(emu: BPEmulator, g: BPInputGeometry, nbitmax = 2000): Promise<BPComparison> {
  const m = emu.meta;
  const s = defaultBPSettings({ Nz: m.Nz, vert_spacing: m.vert_spacing, exp_glen: m.exp_glen, exp_weertman: m.exp_weertman });
  await emu.predict(g); // warm-up (session and kernels)
  let t0 = performance.now();
  const { U, V } = await emu.predict(g);
  const emulatorMs = performance.now() - t0;
  const P = bpProblem(g, s);
  try {
    const Jemulated = P.energy(U, V);
    const Us = new Float32Array(U.length), Vs = new Float32Array(V.length);
    t0 = performance.now();
    const r = solveBP(P, Us, Vs, { nbitmax, gtol: 1e-5 });
    const solveMs = performance.now() - t0;
    const n = g.nx * g.ny, top = (s.Nz - 1) * n;
    let maxS = 0, maxE = 0;
    for (let p = 0; p < n; p++) {
      maxS = Math.max(maxS, Math.hypot(Us[top + p], Vs[top + p]));
      maxE = Math.max(maxE, Math.hypot(U[top + p], V[top + p]));
    }
    const cells = surfaceSpeedAgreement({ U, V }, { U: Us, V: Vs }, g, s.Nz, 'cells');
    const corners = surfaceSpeedAgreement({ U, V }, { U: Us, V: Vs }, g, s.Nz, 'corners');
    return {
      meanRelSurfSpeed: cells.meanRel, cells: cells.count, meanRelSurfSpeedCorners: corners.meanRel, corners: corners.count,
      maxSolvedSurfSpeed: maxS, maxEmulatedSurfSpeed: maxE,
      Jemulated, Jsolved: r.energy, energyRatio: Jemulated / r.energy, emulatorMs, solveMs, iterations: r.iterations, converged: r.converged,
    };
  } finally {
    P.dispose();
  }
}
