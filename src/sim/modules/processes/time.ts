/**
 * The clock (IGM `time`): the largest stable step — advective CFL from the
 * fastest velocity and, with SIA, the diffusive limit from the largest
 * diffusivity — capped at `step_max` and shortened to land exactly on save
 * times. Iteration 0 has dt = 0 and saves the initial state. Sets
 * `state.continueRun = t < end`.
 */
import { NunatakError } from '../../../core/errors.js';
import { nextTimeStep, saveTimes, stableTimeStep } from '../../physics/timestep.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import type { IceflowShared } from './iceflow.js';

export interface TimeParams {
  start: number;
  end: number;
  save: number;
  cfl: number;
  cdiff: number;
  step_max: number;
}

interface Clock {
  saves: number[];
  next: number;
}

/** This module drives the loop. */
export const clock = true;

export const fields = { optional: ['velbar_mag'] };

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<TimeParams>(cfg, 'processes', 'time');
  if (!(p.cfl > 0 && p.cfl <= 1)) throw new NunatakError('CONFIG', `processes.time.cfl must be in (0, 1], got ${p.cfl}`);
  if (!(p.step_max > 0)) throw new NunatakError('CONFIG', `processes.time.step_max must be > 0 a, got ${p.step_max}`);
  state.extra.time = { saves: saveTimes(p.start, p.end, p.save), next: 0 } satisfies Clock;
  state.t = p.start;
  state.dt = 0;
}

/** Largest speed (m a⁻¹): from iceflow's faces, else from velbar_mag. */
function maxSpeed(state: SimState): { umax: number; dmax?: number } {
  const sh = state.extra.iceflow as IceflowShared | undefined;
  if (sh) return { umax: sh.umax, dmax: sh.dmax };
  const v = state.fields.velbar_mag?.data;
  let umax = 0;
  if (v) for (let k = 0; k < v.length; k++) if (v[k] > umax) umax = v[k];
  return { umax };
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = params<TimeParams>(cfg, 'processes', 'time');
  const c = state.extra.time as Clock;
  const g = state.grid;
  const { umax, dmax } = maxSpeed(state);
  const stable = stableTimeStep({ dx: Math.abs(g.dx), dy: Math.abs(g.dy), umax, dmax, cfl: p.cfl, cdiff: p.cdiff, stepMax: p.step_max });
  const s = nextTimeStep(state.t, stable.dt, c.saves, c.next);
  c.next = s.saveIndex;
  state.dt = s.dt;
  state.t = s.tNext;
  state.saveresult = s.saveresult;
  state.continueRun = state.t < p.end;
}

export function finalize(): void {}

const module: ProcessModule & { clock: boolean } = { initialize, update, finalize, fields, clock };
export default module;
