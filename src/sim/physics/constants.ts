/**
 * Physical constants and IGM-compatible defaults for the glacier physics
 * kernels. Units: length m, time a (years), stress MPa, density kg m⁻³.
 */

/** Ice density ρ_i (kg m⁻³), IGM `ice_density`. */
export const RHO_ICE = 910;
/** Sea-water density ρ_w (kg m⁻³); IGM's `ratio_density` 0.910 = ρ_i/ρ_w. */
export const RHO_WATER = 1000;
/** Gravitational acceleration g (m s⁻²), IGM `gravity_cst`. */
export const GRAVITY = 9.81;
/** Glen exponent n, IGM `exp_glen`. */
export const GLEN_N = 3;
/** Rate factor A (MPa⁻ⁿ a⁻¹), IGM `init_arrhenius` (78 ≈ 2.47e-24 Pa⁻³ s⁻¹, temperate ice). */
export const ARRHENIUS = 78;
/** Weertman exponent m, IGM `exp_weertman`. */
export const WEERTMAN_M = 3;
/** Weertman sliding coefficient c (MPa a^{1/m} m^{-1/m}), IGM `init_slidingco`. */
export const SLIDINGCO = 0.0464;
/** Seconds per year used by IGM (`spy`). */
export const SECONDS_PER_YEAR = 31556926;
/** Pa → MPa. */
export const PA_TO_MPA = 1e-6;

/** Regular-grid geometry shared by every kernel: C order, element j·nx + i. */
export interface GridSpacing {
  /** Columns (x). */
  nx: number;
  /** Rows (y). */
  ny: number;
  /** Cell size along x (m, > 0). */
  dx: number;
  /** Cell size along y (m, > 0; pass |grid.dy| for north-up rasters). */
  dy: number;
}

/** Number of x-faces (ny × (nx+1)): face (j, i) sits west of cell (j, i). */
export function xFaceCount(g: GridSpacing): number {
  return g.ny * (g.nx + 1);
}

/** Number of y-faces ((ny+1) × nx): face (j, i) sits south of cell (j, i). */
export function yFaceCount(g: GridSpacing): number {
  return (g.ny + 1) * g.nx;
}
