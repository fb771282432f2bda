/**
 * HBV variants and their learnable parameters with physical bounds (δMG/hydroDL2
 * `parameter_bounds`). Units: mm, mm/d, d⁻¹, °C, km².
 */
import { NunatakError, suggest } from '../../core/errors.js';

export type HbvVariant = 'hbv1.0' | 'hbv1.1p' | 'hbv2.0';
export const HBV_VARIANTS: HbvVariant[] = ['hbv1.0', 'hbv1.1p', 'hbv2.0'];

/** Bounds [lo, hi] and unit of every HBV parameter. */
export const HBV_BOUNDS: Record<string, { lo: number; hi: number; unit: string }> = {
  BETA: { lo: 1.0, hi: 6.0, unit: '-' },
  FC: { lo: 50, hi: 1000, unit: 'mm' },
  K0: { lo: 0.05, hi: 0.9, unit: 'd-1' },
  K1: { lo: 0.01, hi: 0.5, unit: 'd-1' },
  K2: { lo: 0.001, hi: 0.2, unit: 'd-1' },
  LP: { lo: 0.2, hi: 1.0, unit: '-' },
  PERC: { lo: 0, hi: 10, unit: 'mm d-1' },
  UZL: { lo: 0, hi: 100, unit: 'mm' },
  TT: { lo: -2.5, hi: 2.5, unit: 'degC' },
  CFMAX: { lo: 0.5, hi: 10, unit: 'mm degC-1 d-1' },
  CFR: { lo: 0, hi: 0.1, unit: '-' },
  CWH: { lo: 0, hi: 0.2, unit: '-' },
  BETAET: { lo: 0.3, hi: 5, unit: '-' },
  C: { lo: 0, hi: 1, unit: 'd-1' },
  RT: { lo: 0, hi: 20, unit: 'mm d-1' },
  AC: { lo: 0, hi: 2500, unit: 'km2' },
};

/** Routing parameters (gamma unit hydrograph), from the NN's last time step. */
export const ROUTING_BOUNDS: Record<string, { lo: number; hi: number; unit: string }> = {
  rout_a: { lo: 0, hi: 2.9, unit: '-' },
  rout_b: { lo: 0, hi: 6.5, unit: 'd' },
};

export const HBV_BASE = ['BETA', 'FC', 'K0', 'K1', 'K2', 'LP', 'PERC', 'UZL', 'TT', 'CFMAX', 'CFR', 'CWH'];

/** Which process terms a variant switches on. */
export interface HbvFlags {
  /** ET factor raised to BETAET. */
  betaet: boolean;
  /** Capillary rise from the lower zone into the soil (1.1p, 2.0). */
  capillary: boolean;
  /** Area-dependent lower-zone leakage (2.0); needs basin area in km². */
  leakage: boolean;
}

/**
 * Parameter names (in kernel order) and flags of a variant. HBV 1.0 has BETAET
 * only when it is dynamic (as in δMG), 1.1p and 2.0 always.
 */
export function hbvLayout(variant: HbvVariant, dynamic: string[] = []): { names: string[]; flags: HbvFlags } {
  if (!HBV_VARIANTS.includes(variant)) {
    throw new NunatakError('CONFIG', `unknown process model '${variant}'`, {
      hint: `use one of ${HBV_VARIANTS.join(', ')}${suggest(variant, HBV_VARIANTS).length ? ` (did you mean ${suggest(variant, HBV_VARIANTS)[0]}?)` : ''}`,
    });
  }
  const names = [...HBV_BASE];
  const betaet = variant !== 'hbv1.0' || dynamic.includes('BETAET');
  if (betaet) names.push('BETAET');
  if (variant !== 'hbv1.0') names.push('C');
  if (variant === 'hbv2.0') names.push('RT', 'AC');
  for (const d of dynamic) {
    if (!names.includes(d)) {
      const s = suggest(d, names);
      throw new NunatakError('CONFIG', `dynamic parameter '${d}' is not a parameter of ${variant}`, {
        hint: `parameters: ${names.join(', ')}${s.length ? `; did you mean ${s[0]}?` : ''}`,
      });
    }
  }
  return { names, flags: { betaet, capillary: variant !== 'hbv1.0', leakage: variant === 'hbv2.0' } };
}
