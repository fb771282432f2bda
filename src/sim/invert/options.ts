/**
 * Options of the thickness inversion (IGM `optimize` names without the
 * `opti_` prefix). Misfit terms are ½·mean((model − obs)/σ)² over the cells
 * where the observation exists; the smoothness term is
 * regu_param_thk · ½ · mean over the cell faces touching the mask of the
 * anisotropic |∇b|² (smoothness.ts), so
 * all terms are resolution-independent (IGM sums the smoothness term over
 * the grid instead, so its weight 10 is not the same number; see docs/sim.md).
 */
export type InvControl = 'thk' | 'usurf' | 'slidingco';
export type InvCost = 'velsurf' | 'thk' | 'usurf' | 'divflux';

export interface InversionOptions {
  /** Controls: thk (always), usurf (surface elevation, fitted to usurfobs), slidingco (Weertman c, log-parametrised). */
  control: InvControl[];
  /** Cost terms; a term whose data are absent is skipped. */
  cost: InvCost[];
  /** Rate factor A (MPa⁻³ a⁻¹), default 78 (temperate ice). */
  arrhenius: number;
  /** Weertman coefficient c (MPa a^{1/3} m^{−1/3}); 0 = no sliding; start value when slidingco is a control. */
  slidingco: number;
  /** Glen exponent n. */
  exp_glen: number;
  /** Weertman exponent m. */
  exp_weertman: number;
  /** σ of the surface elevation (m). */
  usurfobs_std: number;
  /** σ of each surface velocity component (m a⁻¹). */
  velsurfobs_std: number;
  /** σ of the thickness observations (m). */
  thkobs_std: number;
  /** σ of the flux divergence against smb − dhdt (m a⁻¹). */
  divfluxobs_std: number;
  /** Weight of the smoothness regularisation (1). */
  regu_param_thk: number;
  /** Weight of the smoothness of log(slidingco) (m², per unit of ln c gradient squared). */
  regu_param_slidingco: number;
  /** Field the smoothness acts on: topg (= usurf − thk, IGM default) or thk. */
  to_regularize: 'topg' | 'thk';
  /** Smoothing anisotropy β ∈ (0, 1]: along-flow gradients weigh 1/√β, across-flow √β (1 = isotropic). */
  smooth_anisotropy_factor: number;
  /** Convexity weight (m⁻¹): adds −w·mean(thk) over the mask, favouring thicker ice (0 = off). */
  convexity_weight: number;
  /** Largest number of L-BFGS iterations. */
  nbitmax: number;
  /** Stop when the relative cost change stays below this for 5 iterations. */
  rtol: number;
  /** Initial thickness (m) where no thkinit field is given; null = perfect-plasticity estimate τ/(ρg|∇s|) with τ = 100 kPa. */
  thk_init: number | null;
  /** Softplus scale (m) of the positivity reparametrisation thk = τ·ln(1 + e^{θ/τ}). */
  thk_softness: number;
}

export const INVERSION_DEFAULTS: InversionOptions = {
  control: ['thk', 'usurf'],
  cost: ['velsurf', 'thk', 'usurf', 'divflux'],
  arrhenius: 78,
  slidingco: 0,
  exp_glen: 3,
  exp_weertman: 3,
  usurfobs_std: 2,
  velsurfobs_std: 1,
  thkobs_std: 3,
  divfluxobs_std: 1,
  regu_param_thk: 1,
  regu_param_slidingco: 1e4,
  to_regularize: 'topg',
  smooth_anisotropy_factor: 0.2,
  convexity_weight: 0,
  nbitmax: 1000,
  rtol: 1e-7,
  thk_init: null,
  thk_softness: 1,
};
