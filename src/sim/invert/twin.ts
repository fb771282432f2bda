/**
 * Twin experiments for the inversion: run the forward model (SIA flow +
 * slope-limited transport, physics/) to a steady state under an ELA mass
 * balance on a given bed, giving a "true" thickness with its surface
 * velocity, SMB and dh/dt; then perturb the observations with seeded noise.
 */
import { NunatakError } from '../../core/errors.js';
import { xFaceCount, yFaceCount } from '../physics/constants.js';
import { siaFaceVelocities } from '../physics/sia.js';
import { smbSimple } from '../physics/smb-simple.js';
import { stableTimeStep } from '../physics/timestep.js';
import { transportThickness, type Limiter } from '../physics/transport.js';
import type { InvGrid } from './sia-kernel.js';

/** Forward-run settings (smb_simple's ELA parametrisation, m ice eq. a⁻¹). */
export interface TwinForward {
  grid: InvGrid;
  /** Bed elevation (m). */
  topg: Float32Array;
  ela: number;
  /** Ablation / accumulation gradients (a⁻¹) and the accumulation cap (m a⁻¹). */
  gradabl: number;
  gradacc: number;
  accmax: number;
  /** Rate factor (MPa⁻³ a⁻¹), default 78. */
  A?: number;
  /** Weertman coefficient (0 = no sliding). */
  slidingco?: number;
  /** Model years to run (default 1000). */
  years?: number;
  /** Where ice may grow (1/0): outside, positive SMB becomes −10 m a⁻¹ (smb_simple's icemask rule). */
  icemask?: Float32Array;
  /** Fraction of the diffusive time-step limit (default 0.5: well inside it, so the steady state has no step-to-step oscillation). */
  cdiff?: number;
  /** Transport reconstruction (default superbee, as IGM). */
  limiter?: Limiter;
}

/** A steady glacier: "truth" of a twin experiment. */
export interface TwinTruth {
  thk: Float32Array;
  usurf: Float32Array;
  uvelsurf: Float32Array;
  vvelsurf: Float32Array;
  smb: Float32Array;
  /** Thickness change rate over the last year (m a⁻¹). */
  dhdt: Float32Array;
  /** 1 where thk > 1 m. */
  icemask: Float32Array;
}

/** Run the forward model from ice-free to (near) steady state. */
export function twinSteadyState(f: TwinForward): TwinTruth {
  const { grid } = f;
  const n = grid.nx * grid.ny;
  if (f.topg.length !== n) throw new NunatakError('SHAPE', `twinSteadyState: topg has ${f.topg.length} values, grid is ${grid.ny}×${grid.nx}`);
  const p = { A: f.A ?? 78, slidingco: f.slidingco ?? 0 };
  let thk = new Float32Array(n);
  let next = new Float32Array(n);
  const usurf = Float32Array.from(f.topg);
  const smb = new Float32Array(n);
  const ux = new Float32Array(xFaceCount(grid));
  const vy = new Float32Array(yFaceCount(grid));
  const years = f.years ?? 1000;
  let t = 0;
  let snap = new Float32Array(n);
  let tSnap = -1;
  while (t < years) {
    smbSimple(usurf, f, smb, thk, f.icemask);
    const st = siaFaceVelocities(grid, thk, usurf, p, { ux, vy });
    let dt = stableTimeStep({ dx: grid.dx, dy: grid.dy, umax: st.umax, dmax: st.dmax, stepMax: 1, cdiff: f.cdiff ?? 0.5 }).dt;
    if (t + dt > years) dt = years - t;
    if (tSnap < 0 && t + dt >= years - 1) {
      snap = Float32Array.from(thk);
      tSnap = t;
    }
    transportThickness(grid, thk, ux, vy, smb, dt, next, { limiter: f.limiter ?? 'superbee', topg: f.topg, usurf });
    [thk, next] = [next, thk];
    t += dt;
  }
  const dhdt = new Float32Array(n);
  for (let k = 0; k < n; k++) dhdt[k] = (thk[k] - snap[k]) / (t - tSnap);
  smbSimple(usurf, f, smb, thk, f.icemask);
  const c = { ubar: new Float32Array(n), vbar: new Float32Array(n), uvelsurf: new Float32Array(n), vvelsurf: new Float32Array(n) };
  siaFaceVelocities(grid, thk, usurf, p, { ux, vy, uxSurf: new Float32Array(ux.length), vySurf: new Float32Array(vy.length), centre: c });
  const icemask = thk.map((h) => (h > 1 ? 1 : 0));
  return { thk, usurf, uvelsurf: c.uvelsurf, vvelsurf: c.vvelsurf, smb, dhdt, icemask };
}

/** Seeded normal deviates (mulberry32 + Box–Muller), reproducible across runs. */
export function gaussianNoise(seed: number): () => number {
  let a = seed >>> 0;
  const uni = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uni())) * Math.cos(2 * Math.PI * uni());
}

/** Copy of `a` plus σ·N(0, 1) noise where `mask` (if given) is set; NaN elsewhere when `nanOutside`. */
export function withNoise(a: Float32Array, sigma: number, rnd: () => number, mask?: Float32Array, nanOutside = false): Float32Array {
  return a.map((v, k) => (mask && !(mask[k] > 0.5) ? (nanOutside ? NaN : v) : v + sigma * rnd()));
}
