/**
 * Ice flow. Method `sia`: shallow-ice velocities on the staggered grid
 * (physics/sia.ts, Γ = 2A(ρg)ⁿ/(n+2), optional Weertman sliding), then IGM's
 * centre outputs ubar, vbar, uvelsurf, vvelsurf, velbar_mag, velsurf_mag.
 * The face velocities and the largest diffusivity / speed stay in
 * `state.extra.iceflow` for `time` (stability limits) and `thk` (fluxes).
 * Method `emulated`: a trained emulator (processes.iceflow.emulator) gives
 * ubar, vbar (and the surface velocities when it predicts them); `thk` and
 * `time` then use faces averaged from ubar/vbar and the advective limit only.
 * Method `diagnostic`: SIA drives the run, the emulator runs beside it and
 * iceflow_diagnostic.csv records their differences and timings at each save;
 * with a Blatter–Pattyn emulator folder the BP emulator drives the run and the
 * solved BP runs beside it at each save (iceflow-bp-diagnostic.ts).
 * Method `solved`: Blatter–Pattyn velocities minimising IGM's energy
 * (iceflow-solved.ts); like `emulated`, thk/time use faces from ubar/vbar.
 */
import { performance } from 'node:perf_hooks';
import { NunatakError } from '../../../core/errors.js';
import { xFaceCount, yFaceCount, type GridSpacing } from '../../physics/constants.js';
import { siaCentreVelocities } from '../../physics/face-velocity.js';
import { siaFaceVelocitiesWasm as siaFaceVelocities } from '../../physics/sia-wasm.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import { appendDiagnostic, startDiagnostic, velocityDifference } from './iceflow-diagnostic.js';
import { emulateVelocities, loadSimEmulator, type EmulatorParams } from './iceflow-emulator.js';
import { compareBP, startBPDiagnostic } from './iceflow-bp-diagnostic.js';
import { initializeBPEmulated, isBPEmulatedRun, updateBPEmulated, usesBPEmulator, type BPEmulatedParams } from './iceflow-bp-emulated.js';
import { initializeSolved, SOLVED_OUT, updateSolved, type SolvedParams } from './iceflow-solved.js';

export interface IceflowParams extends EmulatorParams, SolvedParams, BPEmulatedParams {
  method: 'sia' | 'emulated' | 'diagnostic' | 'solved';
}

/** What iceflow shares with `time` and `thk` (faces in m a⁻¹, D in m² a⁻¹). */
export interface IceflowShared {
  ux: Float32Array;
  vy: Float32Array;
  uxSurf: Float32Array;
  vySurf: Float32Array;
  /** Largest face diffusivity (m² a⁻¹); the diffusive step limit applies. */
  dmax: number;
  /** Largest face speed (m a⁻¹). */
  umax: number;
}

const OUT = ['ubar', 'vbar', 'uvelsurf', 'vvelsurf', 'velbar_mag', 'velsurf_mag'] as const;

/** The emulator path declares ubar, vbar, velbar_mag; it writes the surface velocities too when the emulator predicts them. */
export const fields = (cfg: SimConfig) => {
  const method = (cfg.processes as { iceflow?: { method?: string } } | undefined)?.iceflow?.method;
  if (method === 'solved') return { reads: ['thk', 'usurf'], optional: ['arrhenius', 'slidingco'], writes: ['U', 'V', ...SOLVED_OUT] };
  return { reads: ['thk', 'usurf'], optional: ['arrhenius', 'slidingco'], writes: method === 'emulated' ? ['ubar', 'vbar', 'velbar_mag'] : [...OUT] };
};

/** iceflow's emulator state (method emulated / diagnostic). */
interface EmulatorState {
  emu: Awaited<ReturnType<typeof loadSimEmulator>>;
  csv?: string;
}

/** Grid spacing of the state for the kernels (dy must be positive: rows go north). */
export function spacingOf(state: SimState): GridSpacing {
  const g = state.grid;
  if (!(g.dy > 0) || !(g.dx > 0)) {
    throw new NunatakError('SHAPE', `the sim grid needs dx > 0 and dy > 0 (rows south to north), got dx = ${g.dx}, dy = ${g.dy}`, { hint: 'inputs flip north-up rasters; a user input must do the same' });
  }
  return { nx: g.nx, ny: g.ny, dx: g.dx, dy: g.dy };
}

export async function initialize(cfg: SimConfig, state: SimState): Promise<void> {
  const p = params<IceflowParams>(cfg, 'processes', 'iceflow');
  const sp = spacingOf(state);
  if (p.method === 'solved') return initializeSolved(p, state);
  if ((p.method === 'emulated' || p.method === 'diagnostic') && usesBPEmulator(p, state.baseDir)) {
    await initializeBPEmulated(p, state);
    if (p.method === 'diagnostic') state.extra.iceflow_bp_diagnostic = startBPDiagnostic(state.outDir);
    return;
  }
  if (p.method === 'emulated' || p.method === 'diagnostic') {
    const es: EmulatorState = { emu: await loadSimEmulator(p, state.baseDir) };
    if (p.method === 'diagnostic') es.csv = startDiagnostic(state.outDir);
    state.extra.iceflow_emulator = es;
  }
  if (p.method === 'emulated') {
    for (const n of ['ubar', 'vbar', 'velbar_mag']) state.ensure(n);
    return;
  }
  state.extra.iceflow = {
    ux: new Float32Array(xFaceCount(sp)),
    vy: new Float32Array(yFaceCount(sp)),
    uxSurf: new Float32Array(xFaceCount(sp)),
    vySurf: new Float32Array(yFaceCount(sp)),
    dmax: 0,
    umax: 0,
  } satisfies IceflowShared;
  for (const n of OUT) state.ensure(n);
}

export async function update(cfg: SimConfig, state: SimState): Promise<void> {
  const p = params<IceflowParams>(cfg, 'processes', 'iceflow');
  if (p.method === 'emulated' && isBPEmulatedRun(state)) return updateBPEmulated(p, state);
  if (p.method === 'diagnostic' && isBPEmulatedRun(state)) {
    // As for SIA below: on entry saveresult marks the state the last save wrote.
    if (state.saveresult && state.it > 0) await compareBP(p, state, state.extra.iceflow_bp_diagnostic as string);
    return updateBPEmulated(p, state);
  }
  if (p.method === 'emulated') return updateEmulated(p, state);
  if (p.method === 'solved') return updateSolved(p, state);
  // On entry saveresult says the previous step ended on a save: the state now
  // is the one that save wrote, so compare there (it 0 saves the start state,
  // which it 1 sees again).
  const due = state.saveresult && state.it > 0;
  const t0 = performance.now();
  updateSia(p, state);
  if (p.method === 'diagnostic' && due) await compare(p, state, performance.now() - t0);
}

/** One diagnostic row: the emulator on the state SIA just ran on. */
async function compare(p: IceflowParams, state: SimState, siaMs: number): Promise<void> {
  const es = state.extra.iceflow_emulator as EmulatorState;
  const t1 = performance.now();
  const e = await emulateVelocities(es.emu, state, p);
  const emuMs = performance.now() - t1;
  const f = state.fields;
  const d = velocityDifference(f.thk.data, f.ubar.data, f.vbar.data, e.ubar, e.vbar);
  appendDiagnostic(es.csv as string, { it: state.it, t: state.t, cells: d.cells, l1: d.l1, l2: d.l2, max: d.max, siaMs, emuMs });
}

async function updateEmulated(p: IceflowParams, state: SimState): Promise<void> {
  const es = state.extra.iceflow_emulator as EmulatorState;
  const v = await emulateVelocities(es.emu, state, p);
  for (const [name, data] of Object.entries(v)) if (data) state.ensure(name).data.set(data);
}

function updateSia(p: IceflowParams, state: SimState): void {
  const sp = spacingOf(state);
  const sh = state.extra.iceflow as IceflowShared;
  const thk = state.get('thk').data;
  const stats = siaFaceVelocities(sp, thk, state.get('usurf').data, {
    A: state.fields.arrhenius?.data ?? p.init_arrhenius,
    n: p.exp_glen,
    rho: p.ice_density,
    g: p.gravity_cst,
    slidingco: state.fields.slidingco?.data ?? p.init_slidingco,
    m: p.exp_weertman,
  }, sh);
  sh.dmax = stats.dmax;
  sh.umax = stats.umax;
  const f = state.fields;
  siaCentreVelocities(sp, sh, thk, {
    ubar: f.ubar.data, vbar: f.vbar.data, uvelsurf: f.uvelsurf.data, vvelsurf: f.vvelsurf.data, velbar_mag: f.velbar_mag.data, velsurf_mag: f.velsurf_mag.data,
  });
}

/** Diagnostic: the last save has no next step, so its row is written here. */
export async function finalize(cfg: SimConfig, state: SimState): Promise<void> {
  const p = params<IceflowParams>(cfg, 'processes', 'iceflow');
  if (p.method !== 'diagnostic' || !state.saveresult) return;
  if (isBPEmulatedRun(state)) return compareBP(p, state, state.extra.iceflow_bp_diagnostic as string);
  const t0 = performance.now();
  updateSia(p, state);
  await compare(p, state, performance.now() - t0);
}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
