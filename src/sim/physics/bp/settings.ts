/**
 * Blatter–Pattyn settings: IGM 2.x `iceflow` defaults (params_iceflow.py) plus
 * the two extensions nunatak adds (`periodic`, `no_slip`), validated once.
 */
import { NunatakError, suggest } from '../../../core/errors.js';

/** Parameters of the Blatter–Pattyn energy. Units: m, a, MPa. */
export interface BPSettings {
  /** Number of terrain-following levels (≥ 2), level 0 = bed, Nz−1 = surface. */
  Nz: number;
  /** Level refinement α: ζ = (t/α)(1 + (α−1)t); 1 = uniform, > 1 finer near the bed. */
  vert_spacing: number;
  /** Glen exponent n. */
  exp_glen: number;
  /** Weertman exponent m. */
  exp_weertman: number;
  /** Strain-rate regularisation (a⁻¹), added squared to ε̇². */
  regu_glen: number;
  /** Sliding regularisation (m a⁻¹), added squared to |u_b|². */
  regu_weertman: number;
  /** Floor on layer thickness in the vertical derivative (m). */
  thr_ice_thk: number;
  /** Lower clip of ε̇ in the viscosity power (a⁻¹). */
  min_sr: number;
  /** Upper clip of ε̇ in the viscosity power (a⁻¹). */
  max_sr: number;
  /** Ice density (kg m⁻³). */
  ice_density: number;
  /** Gravity (m s⁻²). */
  gravity_cst: number;
  /** nunatak extension: wrap-around corners and differences (ISMIP-HOM). */
  periodic: boolean;
  /** nunatak extension: basal velocity imposed 0, no sliding term. */
  no_slip: boolean;
}

const DEFAULTS: BPSettings = {
  Nz: 10,
  vert_spacing: 4,
  exp_glen: 3,
  exp_weertman: 3,
  regu_glen: 1e-5,
  regu_weertman: 1e-10,
  thr_ice_thk: 0.1,
  min_sr: 1e-20,
  max_sr: 1e20,
  ice_density: 910,
  gravity_cst: 9.81,
  periodic: false,
  no_slip: false,
};

type Rule = [key: keyof BPSettings, ok: (v: number, s: BPSettings) => boolean, expected: string];

const RULES: Rule[] = [
  ['Nz', (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2 (levels bed → surface)'],
  ['vert_spacing', (v) => v > 0.5, 'a number > 0.5 (levels must increase; 1 = uniform, IGM default 4)'],
  ['exp_glen', (v) => v > 0, 'a positive Glen exponent (IGM default 3)'],
  ['exp_weertman', (v) => v > 0, 'a positive Weertman exponent (IGM default 3)'],
  ['regu_glen', (v) => v >= 0, 'a regularisation ≥ 0 in a⁻¹ (IGM default 1e-5)'],
  ['regu_weertman', (v) => v >= 0, 'a regularisation ≥ 0 in m a⁻¹ (IGM default 1e-10)'],
  ['thr_ice_thk', (v) => v > 0, 'a thickness > 0 in m (IGM default 0.1)'],
  ['min_sr', (v) => v >= 0, 'a strain rate ≥ 0 in a⁻¹ (IGM default 1e-20)'],
  ['max_sr', (v, s) => v > s.min_sr, 'a strain rate > min_sr in a⁻¹ (IGM default 1e20)'],
  ['ice_density', (v) => v > 0, 'a density > 0 in kg m⁻³ (IGM default 910)'],
  ['gravity_cst', (v) => v > 0, 'an acceleration > 0 in m s⁻² (IGM default 9.81)'],
];

/** IGM defaults with `over` applied; throws a CONFIG NunatakError naming any bad or unknown setting. */
export function defaultBPSettings(over: Partial<BPSettings> = {}): BPSettings {
  const keys = Object.keys(DEFAULTS);
  for (const k of Object.keys(over)) {
    if (!keys.includes(k)) {
      const near = suggest(k, keys);
      throw new NunatakError('CONFIG', `Blatter–Pattyn setting '${k}' is unknown`, {
        hint: near.length ? `did you mean ${near.map((s) => `'${s}'`).join(', ')}?` : `known settings: ${keys.join(', ')}`,
      });
    }
  }
  const s: BPSettings = { ...DEFAULTS, ...over };
  validateBPSettings(s);
  return s;
}

/** Checks every setting (also for objects not built by {@link defaultBPSettings}). */
export function validateBPSettings(s: BPSettings): void {
  for (const [key, ok, expected] of RULES) {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v, s)) {
      throw new NunatakError('CONFIG', `Blatter–Pattyn setting '${key}' = ${String(v)} is invalid`, { hint: `expected ${expected}` });
    }
  }
  for (const key of ['periodic', 'no_slip'] as const) {
    if (typeof s[key] !== 'boolean') {
      throw new NunatakError('CONFIG', `Blatter–Pattyn setting '${key}' = ${String(s[key])} is invalid`, { hint: 'expected true or false' });
    }
  }
}
