/**
 * The inversion's cost J(x) and its exact gradient: the controls x (thickness
 * through a softplus, surface elevation, log of the sliding coefficient, on
 * the ice-mask cells only) → the SIA observation operator (sia-kernel.ts) →
 * misfit, smoothness and convexity terms; the gradient runs the same chain
 * backwards through the operator's hand-written adjoint.
 */
import { siaObserve, siaObserveAdjoint, type InvFlow, type InvGrid } from './sia-kernel.js';
import type { InversionOptions } from './options.js';
import { buildSmoothness } from './smoothness.js';

/** Observations and fixed inputs on one grid (C order, ny·nx values each; NaN = no observation). */
export interface InversionData {
  grid: InvGrid;
  /** Observed surface elevation (m); finite on the mask. */
  usurfobs: ArrayLike<number>;
  /** 1 inside the glacier outline, 0 outside (thickness is 0 there). */
  icemask: ArrayLike<number>;
  /** Observed surface velocity components (m a⁻¹), NaN where missing. */
  uvelsurfobs?: ArrayLike<number>;
  vvelsurfobs?: ArrayLike<number>;
  /** Thickness observations (m), NaN where missing. */
  thkobs?: ArrayLike<number>;
  /** Surface mass balance (m ice eq. a⁻¹): the flux divergence target is smb − dhdt. */
  smb?: ArrayLike<number>;
  /** Thinning rate dh/dt (m a⁻¹), 0 when absent. */
  dhdt?: ArrayLike<number>;
  /** First guess of the thickness (m). */
  thkinit?: ArrayLike<number>;
  /** Sliding coefficient field (start value / fixed field), overrides options.slidingco. */
  slidingco?: ArrayLike<number>;
}

/** Cost components (each dimensionless) at one evaluation. */
export interface CostParts {
  velsurf: number;
  thk: number;
  usurf: number;
  divflux: number;
  regu_thk: number;
  regu_slidingco: number;
  convexity: number;
  total: number;
}

export const COST_PART_NAMES = ['velsurf', 'thk', 'usurf', 'divflux', 'regu_thk', 'regu_slidingco', 'convexity', 'total'] as const;

/** Fields decoded from a control vector. */
export interface Decoded {
  H: Float64Array;
  s: Float64Array;
  c: number | Float64Array | null;
}

const softplus = (t: number, tau: number) => (t / tau > 30 ? t : tau * Math.log1p(Math.exp(t / tau)));
const sigmoid = (t: number, tau: number) => 1 / (1 + Math.exp(-t / tau));
const invSoftplus = (h: number, tau: number) => (h / tau > 30 ? h : tau * Math.log(Math.expm1(Math.max(h, 1e-6) / tau)));

/** Perfect-plasticity thickness τ/(ρ g |∇s|) with τ = 100 kPa (m), from the 3×3 mean slope, clipped to [1, 1000] m. */
export function plasticThickness(d: InversionData): Float64Array {
  const { nx, ny, dx, dy } = d.grid;
  const s = d.usurfobs;
  const slope = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const gx = (s[j * nx + Math.min(i + 1, nx - 1)] - s[j * nx + Math.max(i - 1, 0)]) / (dx * (Math.min(i + 1, nx - 1) - Math.max(i - 1, 0)));
      const gy = (s[Math.min(j + 1, ny - 1) * nx + i] - s[Math.max(j - 1, 0) * nx + i]) / (dy * (Math.min(j + 1, ny - 1) - Math.max(j - 1, 0)));
      slope[j * nx + i] = Math.hypot(gx, gy);
    }
  }
  const h = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let sum = 0;
      let cnt = 0;
      for (let b = Math.max(j - 1, 0); b <= Math.min(j + 1, ny - 1); b++) {
        for (let a = Math.max(i - 1, 0); a <= Math.min(i + 1, nx - 1); a++) {
          if (Number.isFinite(slope[b * nx + a])) {
            sum += slope[b * nx + a];
            cnt++;
          }
        }
      }
      const m = cnt ? sum / cnt : 0.1;
      h[j * nx + i] = Math.min(Math.max(1e5 / (910 * 9.81 * Math.max(m, 0.01)), 1), 1000);
    }
  }
  return h;
}

/** The assembled problem: control layout, J and ∇J. */
export interface Objective {
  /** Number of controls. */
  size: number;
  /** Ice-mask cell indices (the control cells). */
  cells: Int32Array;
  /** Starting control vector. */
  x0: Float64Array;
  /** J(x), writing ∇J into g; `parts` receives the components. */
  evaluate(x: Float64Array, g: Float64Array, parts?: CostParts): number;
  /** Fields at x. */
  decode(x: Float64Array): Decoded;
  /** SIA outputs at x (surface velocity, divergence). */
  observe(x: Float64Array): ReturnType<typeof siaObserve>;
  flow: InvFlow;
}

/** Build J for data `d` under options `o` (validated by the caller). */
export function buildObjective(d: InversionData, o: InversionOptions): Objective {
  const { nx, ny, dx, dy } = d.grid;
  const nc = nx * ny;
  const list: number[] = [];
  for (let k = 0; k < nc; k++) if (d.icemask[k] > 0.5) list.push(k);
  const cells = Int32Array.from(list);
  const N = cells.length;
  const ctlS = o.control.includes('usurf');
  const ctlC = o.control.includes('slidingco');
  const size = N * (1 + (ctlS ? 1 : 0) + (ctlC ? 1 : 0));
  const offS = N;
  const offC = ctlS ? 2 * N : N;
  const flow: InvFlow = { A: o.arrhenius, n: o.exp_glen, m: o.exp_weertman };
  const tau = o.thk_softness;
  const so = Float64Array.from(d.usurfobs);
  const c0 = d.slidingco ? Float64Array.from(d.slidingco) : null;
  const cScalar = o.slidingco;
  const useC = ctlC || c0 !== null || cScalar > 0;
  const has = (t: string) => o.cost.includes(t as never);

  // active observation sets
  const velIdx: number[] = [];
  if (has('velsurf') && d.uvelsurfobs && d.vvelsurfobs) {
    for (const k of cells) if (Number.isFinite(d.uvelsurfobs[k]) && Number.isFinite(d.vvelsurfobs[k])) velIdx.push(k);
  }
  const thkIdx: number[] = [];
  if (has('thk') && d.thkobs) for (let k = 0; k < nc; k++) if (Number.isFinite(d.thkobs[k])) thkIdx.push(k);
  const divTarget = has('divflux') && d.smb ? new Float64Array(nc) : null;
  if (divTarget) for (let k = 0; k < nc; k++) divTarget[k] = d.smb![k] - (d.dhdt ? d.dhdt[k] : 0);
  const useUsurf = has('usurf') && ctlS;

  // bed smoothness on the cell faces touching the mask (smoothness.ts: why faces, not corners)
  const smooth = buildSmoothness(d.grid, d.icemask, d.usurfobs, o.smooth_anisotropy_factor, d.uvelsurfobs, d.vvelsurfobs);

  // start: thkinit, thk_init, or perfect plasticity H = τ/(ρ g |∇s|), τ = 100 kPa, from the
  // 3×3-mean surface slope of each cell (thin ice on steep walls, where SIA fluxes would explode)
  const x0 = new Float64Array(size);
  const hPlastic = plasticThickness(d);
  cells.forEach((k, q) => {
    const h0 = d.thkinit && Number.isFinite(d.thkinit[k]) ? d.thkinit[k] : (o.thk_init ?? hPlastic[k]);
    x0[q] = invSoftplus(Math.max(h0, 1), tau);
    if (ctlS) x0[offS + q] = so[k];
  });

  const decode = (x: Float64Array): Decoded => {
    const H = new Float64Array(nc);
    const s = Float64Array.from(so);
    let c: number | Float64Array | null = null;
    if (ctlC) c = c0 ? Float64Array.from(c0) : new Float64Array(nc).fill(cScalar);
    else if (c0) c = c0;
    else if (cScalar > 0) c = cScalar;
    cells.forEach((k, q) => {
      H[k] = softplus(x[q], tau);
      if (ctlS) s[k] = x[offS + q];
      if (ctlC) (c as Float64Array)[k] *= Math.exp(x[offC + q]);
    });
    return { H, s, c };
  };

  const evaluate = (x: Float64Array, g: Float64Array, parts?: CostParts): number => {
    const { H, s, c } = decode(x);
    const obs = siaObserve(d.grid, H, s, useC ? c : null, flow);
    const bar = { us: new Float64Array(nc), vs: new Float64Array(nc), div: new Float64Array(nc) };
    const gH = new Float64Array(nc);
    const gs = new Float64Array(nc);
    const gc = ctlC ? new Float64Array(nc) : undefined;
    const p: CostParts = { velsurf: 0, thk: 0, usurf: 0, divflux: 0, regu_thk: 0, regu_slidingco: 0, convexity: 0, total: 0 };
    if (velIdx.length) {
      const w = 1 / (2 * velIdx.length * o.velsurfobs_std * o.velsurfobs_std);
      for (const k of velIdx) {
        const ru = obs.us[k] - d.uvelsurfobs![k];
        const rv = obs.vs[k] - d.vvelsurfobs![k];
        p.velsurf += 0.5 * w * (ru * ru + rv * rv);
        bar.us[k] += w * ru;
        bar.vs[k] += w * rv;
      }
    }
    if (thkIdx.length) {
      const w = 1 / (thkIdx.length * o.thkobs_std * o.thkobs_std);
      for (const k of thkIdx) {
        const r = H[k] - d.thkobs![k];
        p.thk += 0.5 * w * r * r;
        gH[k] += w * r;
      }
    }
    if (useUsurf) {
      const w = 1 / (N * o.usurfobs_std * o.usurfobs_std);
      for (const k of cells) {
        const r = s[k] - so[k];
        p.usurf += 0.5 * w * r * r;
        gs[k] += w * r;
      }
    }
    if (divTarget) {
      const w = 1 / (N * o.divfluxobs_std * o.divfluxobs_std);
      for (const k of cells) {
        const r = obs.div[k] - divTarget[k];
        p.divflux += 0.5 * w * r * r;
        bar.div[k] += w * r;
      }
    }
    // anisotropic smoothness of b = topg (= s − H) or thk
    if (o.regu_param_thk > 0) {
      const topg = o.to_regularize === 'topg';
      const b = topg ? Float64Array.from(s, (v, k) => v - H[k]) : H;
      const gb = new Float64Array(nc);
      p.regu_thk = smooth.apply(b, o.regu_param_thk, gb);
      for (let k = 0; k < nc; k++) {
        if (gb[k] === 0) continue;
        if (topg) {
          gs[k] += gb[k];
          gH[k] -= gb[k];
        } else gH[k] += gb[k];
      }
    }
    if (o.convexity_weight > 0) {
      const w = o.convexity_weight / N;
      for (const k of cells) {
        p.convexity -= w * H[k];
        gH[k] -= w;
      }
    }
    // log(c) smoothness between neighbouring mask cells
    let gPsi: Float64Array | null = null;
    if (ctlC && o.regu_param_slidingco > 0) {
      gPsi = new Float64Array(nc);
      const cf = c as Float64Array;
      const w = o.regu_param_slidingco / N;
      for (const k of cells) {
        const i = k % nx;
        for (const [kk, h] of [[k + 1, dx], [k + nx, dy]] as const) {
          if ((kk === k + 1 && i === nx - 1) || kk >= nc || !(d.icemask[kk] > 0.5)) continue;
          const r = (Math.log(cf[kk]) - Math.log(cf[k])) / h;
          p.regu_slidingco += 0.5 * w * r * r;
          gPsi[kk] += (w * r) / h;
          gPsi[k] -= (w * r) / h;
        }
      }
    }
    siaObserveAdjoint(d.grid, H, s, useC ? c : null, flow, bar, { H: gH, s: gs, c: gc });
    cells.forEach((k, q) => {
      g[q] = gH[k] * sigmoid(x[q], tau);
      if (ctlS) g[offS + q] = gs[k];
      if (ctlC) g[offC + q] = gc![k] * (c as Float64Array)[k] + (gPsi ? gPsi[k] : 0);
    });
    p.total = p.velsurf + p.thk + p.usurf + p.divflux + p.regu_thk + p.regu_slidingco + p.convexity;
    if (parts) Object.assign(parts, p);
    return p.total;
  };

  const observe = (x: Float64Array) => {
    const { H, s, c } = decode(x);
    return siaObserve(d.grid, H, s, useC ? c : null, flow);
  };
  return { size, cells, x0, evaluate, decode, observe, flow };
}
