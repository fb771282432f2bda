/**
 * Thickness (and optionally sliding) inversion, IGM's `optimize` with the SIA
 * as the flow model: validate the data, build J (objective.ts), minimise it
 * with L-BFGS (physics/bp/lbfgs.ts), and return the fields with the cost
 * components of every iteration.
 */
import { lbfgs, type StopReason } from '../physics/bp/lbfgs.js';
import { buildObjective, type CostParts, type InversionData } from './objective.js';
import { INVERSION_DEFAULTS, type InversionOptions } from './options.js';
import { validateInversion } from './validate.js';

/** Result of {@link invertThickness}; fields are float32, ny·nx, C order. */
export interface InversionResult {
  /** Ice thickness (m), 0 outside the mask. */
  thk: Float32Array;
  /** Surface elevation (m): the fitted one when usurf is a control, else the observed one. */
  usurf: Float32Array;
  /** Bed elevation topg = usurf − thk (m). */
  topg: Float32Array;
  /** Modelled surface velocity components and speed (m a⁻¹). */
  uvelsurf: Float32Array;
  vvelsurf: Float32Array;
  velsurf_mag: Float32Array;
  /** Modelled flux divergence ∇·(ūH) (m a⁻¹). */
  divflux: Float32Array;
  /** Sliding coefficient (MPa a^{1/3} m^{−1/3}) when it is a field. */
  slidingco?: Float32Array;
  /** Cost components after each accepted iteration (entry 0 = the start). */
  history: CostParts[];
  iterations: number;
  evaluations: number;
  reason: StopReason;
  /** Ice volume (m³) and mean thickness over the mask (m). */
  volume: number;
  meanThk: number;
}

/** Options accepted by {@link invertThickness}: any subset of {@link InversionOptions}, plus a progress callback. */
export type InvertOptions = Partial<InversionOptions> & { onIter?: (it: number, parts: CostParts) => void };

/**
 * Invert ice thickness from the observations in `data` (see
 * {@link InversionData}); throws NunatakError on unusable input.
 */
export function invertThickness(data: InversionData, options: InvertOptions = {}): InversionResult {
  const { onIter, ...rest } = options;
  const o: InversionOptions = { ...INVERSION_DEFAULTS, ...rest };
  validateInversion(data, o);
  const J = buildObjective(data, o);
  const x = Float64Array.from(J.x0);
  const history: CostParts[] = [];
  const last = {} as CostParts;
  const fun = (xx: Float64Array, g: Float64Array) => J.evaluate(xx, g, last);
  J.evaluate(x, new Float64Array(J.size), last);
  history.push({ ...last });
  const r = lbfgs(fun, x, {
    maxIter: o.nbitmax,
    rtol: o.rtol,
    patience: 5,
    memory: 20,
    firstStep: 10,
    // the accepted point is the line search's last evaluation, so `last` holds its parts
    onIter: (it) => {
      history.push({ ...last });
      onIter?.(it, last);
    },
  });
  const { H, s, c } = J.decode(x);
  const obs = J.observe(x);
  const n = H.length;
  const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
  const topg = new Float32Array(n);
  for (let k = 0; k < n; k++) topg[k] = s[k] - H[k];
  let vol = 0;
  for (const k of J.cells) vol += H[k];
  const cellArea = data.grid.dx * data.grid.dy;
  return {
    thk: f32(H),
    usurf: f32(s),
    topg,
    uvelsurf: f32(obs.us),
    vvelsurf: f32(obs.vs),
    velsurf_mag: Float32Array.from(obs.us, (u, k) => Math.hypot(u, obs.vs[k])),
    divflux: f32(obs.div),
    slidingco: c instanceof Float64Array ? f32(c) : undefined,
    history,
    iterations: r.iterations,
    evaluations: r.evaluations,
    reason: r.reason,
    volume: vol * cellArea,
    meanThk: vol / J.cells.length,
  };
}
