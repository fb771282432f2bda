/**
 * iceflow method `diagnostic` with a Blatter–Pattyn emulator folder (IGM's
 * `diagnostic` type): the BP emulator drives the run exactly as method
 * `emulated` does (retraining included), and at each save the solved BP runs
 * beside it on the same geometry — L-BFGS warm-started from the emulator's
 * field, so the energy drop is how far the emulator sits from the minimum.
 * One row of `iceflow_diagnostic_bp.csv` (run folder) per save: velocity
 * differences of the depth averages over ice cells, the mean relative
 * surface-speed difference (cells where the solved surface speed exceeds
 * 1 m a⁻¹, as docs/emulator.md), both energies and both timings.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { log } from '../../../core/log.js';
import { bpDerived, bpProblem } from '../../physics/bp/index.js';
import { checkConverged, solveBP } from '../../physics/bp/bp-solve.js';
import type { SimState } from '../../state.js';
import { bpEmulatorOf, type BPEmulatedParams } from './iceflow-bp-emulated.js';
import { velocityDifference } from './iceflow-diagnostic.js';
import { solvedSettings, stateGeometry } from './iceflow-solved.js';

export const BP_DIAGNOSTIC_FILE = 'iceflow_diagnostic_bp.csv';
export const BP_DIAGNOSTIC_HEADER = 'it,t_a,ice_cells,l1_m_a,l2_m_a,max_m_a,rel_surf_speed,surf_cells,J_emulator,J_solved,solver_iterations,solver_residual,emulator_ms,solver_ms';

export function startBPDiagnostic(outDir: string): string {
  const file = join(outDir, BP_DIAGNOSTIC_FILE);
  writeFileSync(file, BP_DIAGNOSTIC_HEADER + '\n');
  return file;
}

/** Mean |s₁ − s₂| / s₂ of the surface speeds over cells where s₂ > 1 m a⁻¹ (NaN when there is none). */
export function relSurfaceSpeed(u1: Float32Array, v1: Float32Array, u2: Float32Array, v2: Float32Array): { rel: number; cells: number } {
  let sum = 0;
  let cells = 0;
  for (let p = 0; p < u2.length; p++) {
    const s2 = Math.hypot(u2[p], v2[p]);
    if (!(s2 > 1)) continue;
    sum += Math.abs(Math.hypot(u1[p], v1[p]) - s2) / s2;
    cells++;
  }
  return { rel: cells ? sum / cells : NaN, cells };
}

/** One row: the emulator (inference only) and the solver on the state's geometry. */
export async function compareBP(p: BPEmulatedParams, state: SimState, file: string): Promise<void> {
  const settings = solvedSettings(p);
  const geom = stateGeometry(p, state);
  const emu = bpEmulatorOf(state);
  const t0 = performance.now();
  const { U, V } = await emu.predict(geom);
  const emulatorMs = performance.now() - t0;
  const problem = bpProblem(geom, settings);
  const Us = Float32Array.from(U);
  const Vs = Float32Array.from(V);
  let Jemu: number;
  let r: ReturnType<typeof solveBP>;
  let solverMs: number;
  try {
    Jemu = problem.energy(U, V);
    const t1 = performance.now();
    r = solveBP(problem, Us, Vs, { nbitmax: p.solver_nbitmax, rtol: p.solver_rtol, patience: p.solver_patience, gtol: p.solver_gtol, memory: p.solver_memory });
    solverMs = performance.now() - t1;
  } finally {
    problem.dispose();
  }
  const warning = checkConverged(r, p.solver_on_fail, `processes.iceflow diagnostic (it ${state.it}, t ${state.t} a)`);
  if (warning) log.warn(warning);
  const de = bpDerived(U, V, geom, settings);
  const ds = bpDerived(Us, Vs, geom, settings);
  const d = velocityDifference(geom.thk, de.ubar, de.vbar, ds.ubar, ds.vbar);
  const s = relSurfaceSpeed(de.uvelsurf, de.vvelsurf, ds.uvelsurf, ds.vvelsurf);
  const f = (x: number) => Number(x.toPrecision(6));
  appendFileSync(file, [state.it, f(state.t), d.cells, f(d.l1), f(d.l2), f(d.max), f(s.rel), s.cells, f(Jemu), f(r.energy), r.iterations, f(r.residual), f(emulatorMs), f(solverMs)].join(',') + '\n');
  log.info(`iceflow diagnostic (BP): it ${state.it}, t ${state.t.toFixed(2)} a: mean |Δubar| ${d.l1.toPrecision(3)} m a-1, rel. surface-speed diff ${s.rel.toPrecision(3)}, J_emulator/J_solved ${(Jemu / r.energy).toPrecision(4)}, emulator ${emulatorMs.toFixed(1)} ms, solver ${solverMs.toFixed(0)} ms (${r.iterations} its)`);
}
