/**
 * iceflow method `solved`: Blatter–Pattyn velocities from minimising IGM's
 * energy (physics/bp) with L-BFGS every `solve_every` steps, warm-started
 * from the last U, V (kept in the 3-D state fields U, V, levels bed →
 * surface). Writes U, V and IGM's 2-D outputs; `thk` and `time` use faces
 * averaged from ubar/vbar and the advective limit, as for `emulated`.
 * Each solve logs its iterations, energy and relative residual.
 */
import { NunatakError } from '../../../core/errors.js';
import { Field } from '../../../core/field/field.js';
import { log } from '../../../core/log.js';
import { bpDerived, bpLevels, bpProblem, defaultBPSettings, type BPGeometry, type BPSettings } from '../../physics/bp/index.js';
import { checkConverged, solveBP, type BPSolveResult } from '../../physics/bp/bp-solve.js';
import type { SimState } from '../../state.js';

/** iceflow's parameters used by the solved method (see iceflow.yaml for help and units). */
export interface SolvedParams {
  init_arrhenius: number;
  init_slidingco: number;
  /** Glen and Weertman exponents, density (kg m⁻³), gravity (m s⁻²): shared with SIA. */
  exp_glen: number;
  exp_weertman: number;
  ice_density: number;
  gravity_cst: number;
  Nz: number;
  vert_spacing: number;
  regu_glen: number;
  regu_weertman: number;
  thr_ice_thk: number;
  periodic: boolean;
  no_slip: boolean;
  slope_x: number;
  slope_y: number;
  solve_every: number;
  solver_nbitmax: number;
  solver_rtol: number;
  solver_patience: number;
  solver_gtol: number;
  solver_memory: number;
  solver_on_fail: 'error' | 'warn';
}

/** 2-D outputs of the solved method (3-D: U, V). */
export const SOLVED_OUT = ['ubar', 'vbar', 'uvelsurf', 'vvelsurf', 'uvelbase', 'vvelbase', 'velbar_mag', 'velsurf_mag'] as const;

interface SolvedState {
  settings: BPSettings;
  /** Steps since the last solve. */
  since: number;
  last?: BPSolveResult;
}

const key = (k: string) => `processes.iceflow.${k}`;

/** Checks the solver settings; NunatakError naming the key. */
function checkParams(p: SolvedParams): void {
  const positiveInt = (k: keyof SolvedParams, min: number) => {
    const v = p[k] as number;
    if (!(Number.isInteger(v) && v >= min)) throw new NunatakError('CONFIG', `${key(k)} must be an integer ≥ ${min}, got ${v}`);
  };
  positiveInt('solve_every', 1);
  positiveInt('solver_nbitmax', 1);
  positiveInt('solver_patience', 1);
  positiveInt('solver_memory', 1);
  for (const k of ['solver_rtol', 'solver_gtol'] as const) {
    if (!(p[k] >= 0)) throw new NunatakError('CONFIG', `${key(k)} must be ≥ 0, got ${p[k]}`);
  }
  if (p.solver_on_fail !== 'error' && p.solver_on_fail !== 'warn') throw new NunatakError('CONFIG', `${key('solver_on_fail')} must be error or warn, got ${String(p.solver_on_fail)}`);
}

/** BP settings from the iceflow parameters (Nz, vert_spacing … checked, errors name processes.iceflow.<key>). */
export function solvedSettings(p: SolvedParams): BPSettings {
  if (!(Number.isInteger(p.Nz) && p.Nz >= 2)) {
    throw new NunatakError('CONFIG', `${key('Nz')} must be an integer ≥ 2 (levels from bed to surface), got ${p.Nz}`, { hint: 'IGM uses 10' });
  }
  if (!(p.vert_spacing > 0)) {
    throw new NunatakError('CONFIG', `${key('vert_spacing')} must be > 0, got ${p.vert_spacing}`, { hint: '1 = uniform layers; IGM uses 4 (finer layers at the bed)' });
  }
  checkParams(p);
  return defaultBPSettings({
    Nz: p.Nz,
    vert_spacing: p.vert_spacing,
    exp_glen: p.exp_glen,
    exp_weertman: p.exp_weertman,
    regu_glen: p.regu_glen,
    regu_weertman: p.regu_weertman,
    thr_ice_thk: p.thr_ice_thk,
    ice_density: p.ice_density,
    gravity_cst: p.gravity_cst,
    periodic: p.periodic,
    no_slip: p.no_slip,
  });
}

export function initializeSolved(p: SolvedParams, state: SimState): void {
  const settings = solvedSettings(p);
  const g = state.grid;
  if (Math.abs(Math.abs(g.dy) - Math.abs(g.dx)) > 1e-6 * Math.abs(g.dx)) {
    throw new NunatakError('SHAPE', `iceflow method solved needs square cells, got dx = ${g.dx} m, dy = ${g.dy} m`, { hint: 'resample the inputs to dx = dy' });
  }
  const zeta = bpLevels(settings.Nz, settings.vert_spacing);
  for (const [name, longName] of [['U', 'x velocity on terrain-following levels'], ['V', 'y velocity on terrain-following levels']] as const) {
    if (!state.has(name) || state.get(name).nz !== settings.Nz) state.set(new Field({ name, grid: g, nz: settings.Nz, units: 'm a-1', longName }));
    state.levels[name] = { name: 'zeta', values: zeta, units: '1', longName: 'terrain-following level: z = topg + zeta * thk (0 = bed, 1 = surface)', positive: 'up' };
  }
  for (const n of SOLVED_OUT) state.ensure(n);
  state.extra.iceflow_solved = { settings, since: Infinity } satisfies SolvedState;
  if (!p.no_slip && p.init_slidingco === 0 && !state.has('slidingco')) {
    log.warn('iceflow solved: slidingco is 0 and no_slip is off: IGM\'s energy then treats the ice as floating (vertical shear scaled by 0.01); set processes.iceflow.no_slip: true for a frozen bed, or a positive init_slidingco');
  }
}

/** The BP geometry of the current state. */
export function stateGeometry(p: SolvedParams, state: SimState): BPGeometry {
  const g = state.grid;
  return {
    nx: g.nx,
    ny: g.ny,
    dx: Math.abs(g.dx),
    thk: state.get('thk').data,
    usurf: state.get('usurf').data,
    arrhenius: state.fields.arrhenius?.data ?? p.init_arrhenius,
    slidingco: state.fields.slidingco?.data ?? p.init_slidingco,
    slope: p.periodic ? { x: p.slope_x, y: p.slope_y } : undefined,
  };
}

export function updateSolved(p: SolvedParams, state: SimState): void {
  const ss = state.extra.iceflow_solved as SolvedState;
  if (++ss.since < p.solve_every) return;
  ss.since = 0;
  const geom = stateGeometry(p, state);
  const problem = bpProblem(geom, ss.settings);
  const U = state.get('U').data;
  const V = state.get('V').data;
  let r: BPSolveResult;
  try {
    r = solveBP(problem, U, V, { nbitmax: p.solver_nbitmax, rtol: p.solver_rtol, patience: p.solver_patience, gtol: p.solver_gtol, memory: p.solver_memory });
  } finally {
    problem.dispose();
  }
  ss.last = r;
  log.info(`iceflow solved: it ${state.it}, t ${state.t.toFixed(2)} a: ${r.iterations} L-BFGS iterations, energy ${r.energy.toPrecision(6)} MPa m a-1, relative residual ${r.residual.toExponential(2)}, relative change ${r.relChange.toExponential(2)} (${r.reason})`, {
    iterations: r.iterations, energy: r.energy, residual: r.residual, relChange: r.relChange, reason: r.reason,
  });
  const warning = checkConverged(r, p.solver_on_fail, `processes.iceflow (it ${state.it}, t ${state.t} a)`);
  if (warning) log.warn(warning);
  const d = bpDerived(U, V, geom, ss.settings);
  for (const n of SOLVED_OUT) state.get(n).data.set(d[n]);
}
