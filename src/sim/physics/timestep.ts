/**
 * Time-step control (IGM `time`), times in years.
 *  - advective CFL: Δt ≤ cfl · min(dx, dy) / max|ū|          (cfl default 0.3)
 *  - SIA diffusion: Δt ≤ cdiff / (2 D_max (1/dx² + 1/dy²))   (= cdiff · dx²/(4 D_max) for dx = dy;
 *    cdiff default 1, the linear FTCS stability bound of the 5-point stencil)
 *  - Δt ≤ step_max (default 1 a)
 *  - the step is shortened to land exactly on the next save time.
 */
import { NunatakError } from '../../core/errors.js';

/** Inputs of {@link stableTimeStep}. */
export interface StableStepInput {
  /** Cell sizes (m). */
  dx: number;
  dy: number;
  /** Largest |velocity| (m a⁻¹). */
  umax: number;
  /** Largest SIA diffusivity (m² a⁻¹); 0 / omitted when the flow is not SIA. */
  dmax?: number;
  /** Advective Courant number (IGM `cfl`, 0.3). */
  cfl?: number;
  /** Fraction of the diffusive limit (1 = dx²/(4 D_max)). */
  cdiff?: number;
  /** Largest step (a), IGM `step_max` (1). */
  stepMax?: number;
}

/** Largest stable Δt (a) and which limit set it. */
export function stableTimeStep(p: StableStepInput): { dt: number; limitedBy: 'advective' | 'diffusive' | 'step_max' } {
  if (!Number.isFinite(p.umax) || (p.dmax !== undefined && !Number.isFinite(p.dmax))) {
    throw new NunatakError('NUMERIC', `time step: max velocity ${p.umax} m/a, max diffusivity ${p.dmax} m²/a are not finite`, {
      hint: 'thk or usurf holds NaN/Inf, or the ice is far too thick/steep for the inputs; check them with checkField',
    });
  }
  const stepMax = p.stepMax ?? 1;
  let dt = stepMax;
  let limitedBy: 'advective' | 'diffusive' | 'step_max' = 'step_max';
  const h = Math.min(p.dx, p.dy);
  if (p.umax > 0) {
    const d = ((p.cfl ?? 0.3) * h) / p.umax;
    if (d < dt) {
      dt = d;
      limitedBy = 'advective';
    }
  }
  if (p.dmax !== undefined && p.dmax > 0) {
    const d = (p.cdiff ?? 1) / (2 * p.dmax * (1 / (p.dx * p.dx) + 1 / (p.dy * p.dy)));
    if (d < dt) {
      dt = d;
      limitedBy = 'diffusive';
    }
  }
  return { dt, limitedBy };
}

/** IGM save times: start, start+save, … (< end), then end. */
export function saveTimes(start: number, end: number, save: number): number[] {
  if (!(end >= start)) throw new NunatakError('CONFIG', `processes.time: end (${end}) is before start (${start})`, { hint: 'set time.end ≥ time.start' });
  if (!(save > 0)) throw new NunatakError('CONFIG', `processes.time.save must be > 0 years, got ${save}`);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const t = start + k * save; // multiply, not accumulate, so save times do not drift
    if (t >= end - 1e-9 * Math.max(1, Math.abs(end))) break;
    out.push(t);
  }
  out.push(end);
  return out;
}

/** Result of {@link nextTimeStep}. */
export interface TimeStepChoice {
  /** Step to take (a); 0 when t is itself a pending save time (IGM's iteration 0). */
  dt: number;
  /** Time after the step, exactly the save time when one is hit. */
  tNext: number;
  /** True when tNext is a save time. */
  saveresult: boolean;
  /** Index of the next pending save time after this step. */
  saveIndex: number;
}

/**
 * Chooses the step from t with stable step `dtStable`, landing exactly on
 * `saves[saveIndex]` when it falls within reach.
 */
export function nextTimeStep(t: number, dtStable: number, saves: readonly number[], saveIndex: number): TimeStepChoice {
  if (!(dtStable > 0) || !Number.isFinite(dtStable)) {
    throw new NunatakError('NUMERIC', `time step is ${dtStable} at t = ${t} a`, { hint: 'velocities or diffusivity are NaN/Inf; check thk and usurf' });
  }
  if (saveIndex < saves.length && saves[saveIndex] <= t + dtStable) {
    const ts = saves[saveIndex];
    return { dt: Math.max(0, ts - t), tNext: ts, saveresult: true, saveIndex: saveIndex + 1 };
  }
  return { dt: dtStable, tNext: t + dtStable, saveresult: false, saveIndex };
}
