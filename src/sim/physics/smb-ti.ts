/**
 * OGGM's monthly temperature-index surface mass balance (MonthlyTIModel; IGM
 * clim_oggm + smb_oggm), one pass over cells × months. For a cell at
 * elevation z (m) and month i of a climate block:
 *   T_i   = T_ref,i + temp_bias + lapse · (z − ref_hgt)              (°C)
 *   f_i   = clamp((t_liq − T_i) / (t_liq − t_solid), 0, 1)           (solid fraction)
 *   B_i   = f_i · prcp_fac · P_i − melt_f · d · max(T_i − t_melt, 0)  (mm w.e. = kg m⁻²)
 * with P_i the month's precipitation at the reference height (kg m⁻²), d the
 * days per month (365.242198781 / 12, as IGM) and melt_f in mm w.e. d⁻¹ K⁻¹.
 * The block's sum is converted to m ice eq. a⁻¹ by `scale`
 * (see {@link tiScale}: ρ_w / ρ_i / 1000 per year; × 12 for one month).
 */
import { NunatakError } from '../../core/errors.js';

/** Parameters of the temperature-index model (defaults: {@link TI_DEFAULTS}). */
export interface TiParams {
  /** Temperature lapse rate (K m⁻¹), applied from the climate's reference height. */
  lapse: number;
  /** Added to the climate's temperature (K). */
  tempBias: number;
  /** Multiplies the climate's precipitation (1). */
  prcpFac: number;
  /** Melt factor (mm w.e. d⁻¹ K⁻¹). */
  meltF: number;
  /** All precipitation is solid at or below this temperature (°C). */
  tSolid: number;
  /** All precipitation is liquid at or above this temperature (°C). */
  tLiq: number;
  /** Melt happens above this monthly temperature (°C). */
  tMelt: number;
}

/**
 * OGGM v1.6 defaults (params.cfg: temp_default_gradient −0.0065 K m⁻¹,
 * temp_all_solid 0 °C, temp_all_liq 2 °C, temp_melt −1 °C, prcp_fac 2.5,
 * melt_f 5 mm w.e. d⁻¹ K⁻¹, temp_bias 0).
 */
export const TI_DEFAULTS: Readonly<TiParams> = { lapse: -0.0065, tempBias: 0, prcpFac: 2.5, meltF: 5, tSolid: 0, tLiq: 2, tMelt: -1 };

/** Days per month (IGM smb_oggm: 365.242198781 / 12). */
export const DAYS_PER_MONTH = 365.242198781 / 12;

/** Ice density (kg m⁻³) of IGM's smb_oggm (smb_oggm_ice_density) and of the rest of nunatak's SMB code. */
export const RHO_ICE = 910;
/** Water density (kg m⁻³). */
export const RHO_WATER = 1000;

/** One block of monthly climate at the reference height. */
export interface ClimateBlock {
  /** Monthly mean temperature (°C), nm values. */
  temp: ArrayLike<number>;
  /** Monthly precipitation sum (kg m⁻² per month), nm values. */
  prcp: ArrayLike<number>;
  /** Reference height of temp and prcp (m a.s.l.). */
  refHgt: number;
}

/**
 * Factor from a block's balance (mm w.e.) to m ice eq. a⁻¹: a block of 12
 * months is one year; a block of one month is scaled to a yearly rate (× 12).
 */
export function tiScale(months: number, rhoIce = RHO_ICE): number {
  return (12 / months) * (RHO_WATER / rhoIce) / 1000;
}

/** Checks the parameters once (the kernel would divide by zero or silently misbehave). */
export function checkTiParams(p: TiParams, where = 'smb_ti'): void {
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v)) throw new NunatakError('CONFIG', `${where}: ${k} = ${v} is not a finite number`);
  }
  if (!(p.tLiq > p.tSolid)) {
    throw new NunatakError('CONFIG', `${where}: the all-liquid threshold (${p.tLiq} °C) must be above the all-solid threshold (${p.tSolid} °C)`);
  }
  if (p.meltF < 0 || p.prcpFac < 0) throw new NunatakError('CONFIG', `${where}: melt factor (${p.meltF}) and precipitation factor (${p.prcpFac}) must be ≥ 0`);
}

/**
 * Writes `smb` (m ice eq. a⁻¹) from surface elevation `z` (m) for one climate
 * block. `thk` (m) and `icemask` (0/1) as in smb_simple: no negative SMB on
 * ice-free cells, −10 m a⁻¹ for positive SMB outside the mask. `scale`
 * defaults to {@link tiScale} of the block length.
 */
export function smbTi(z: Float32Array, c: ClimateBlock, p: TiParams, smb: Float32Array, thk?: Float32Array, icemask?: Float32Array, scale = tiScale(c.temp.length)): void {
  const nm = c.temp.length;
  // f32 like the kernel's climate block, so both paths see the same inputs
  const temp = Float32Array.from(c.temp);
  const prcp = Float32Array.from(c.prcp);
  const invRange = 1.0 / (p.tLiq - p.tSolid);
  const meltPerK = p.meltF * DAYS_PER_MONTH;
  for (let k = 0; k < z.length; k++) {
    const dT = p.tempBias + p.lapse * (z[k] - c.refHgt);
    let b = 0.0;
    for (let m = 0; m < nm; m++) {
      const t = temp[m] + dT;
      let f = (p.tLiq - t) * invRange;
      if (f > 1.0) f = 1.0;
      if (f < 0.0) f = 0.0;
      const tm = t - p.tMelt;
      b += f * p.prcpFac * prcp[m] - (tm > 0.0 ? meltPerK * tm : 0.0);
    }
    let s = b * scale;
    if (icemask !== undefined && s > 0 && !(icemask[k] > 0.5)) s = -10;
    if (thk !== undefined && s < 0 && !(thk[k] > 0)) s = 0;
    smb[k] = s;
  }
}
