/**
 * IGM's `smb_oggm` (OGGM's monthly temperature-index model) on the block the
 * `clim` module provides: smb (m ice eq. a⁻¹) from usurf, one fused pass over
 * cells × months (AssemblyScript kernel, physics/smb-ti.ts its TypeScript
 * twin). Recomputed whenever clim loads a new block (each balance year, or
 * each month with clim.period = month). As smb_simple: −10 m a⁻¹ replaces
 * positive SMB outside icemask, ice-free cells get no negative SMB.
 * Records the glacier-wide balance of every balance year (mean over the
 * cells with ice, mm w.e.) in `state.extra.smb_ti.balance` for the
 * `mass_balance` output; `ref_years` adds the reference SMB `smb_ref`.
 */
import { NunatakError } from '../../../core/errors.js';
import { checkTiParams, tiScale, type TiParams } from '../../physics/smb-ti.js';
import { climateOf } from '../../climate/monthly-climate.js';
import { smbTiWasm } from '../../physics/smb-ti-wasm.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';
import type { ClimShared } from './clim.js';

export interface SmbTiParams {
  melt_f: number;
  temp_melt: number;
  temp_all_solid: number;
  temp_all_liq: number;
  ice_density: number;
  zero_ice_free: boolean;
  ref_years: number[] | null;
}

/** One balance year as applied: glacier-wide = mean smb over the cells with thk > 0 inside icemask when it was computed. */
export interface BalanceRecord {
  year: number;
  /** Glacier-wide balance (mm w.e.). */
  glacierWide: number;
  /** Cells with ice. */
  cells: number;
}

/** What smb_ti keeps in `state.extra.smb_ti`. */
export interface SmbTiShared {
  key: number;
  balance: BalanceRecord[];
}

/** The model parameters from clim's and smb_ti's config sections. */
export function tiParamsOf(p: SmbTiParams, c: Pick<ClimShared, 'lapse' | 'tempBias' | 'prcpFac'>): TiParams {
  return { lapse: c.lapse, tempBias: c.tempBias, prcpFac: c.prcpFac, meltF: p.melt_f, tSolid: p.temp_all_solid, tLiq: p.temp_all_liq, tMelt: p.temp_melt };
}

export const fields = (cfg: SimConfig) => ({
  reads: ['usurf'],
  optional: ['thk', 'icemask'],
  writes: params<SmbTiParams>(cfg, 'processes', 'smb_ti').ref_years ? ['smb', 'smb_ref'] : ['smb'],
});

function shared(state: SimState): ClimShared {
  const c = state.extra.clim as ClimShared | undefined;
  if (!c) {
    throw new NunatakError('CONFIG', 'smb_ti needs the clim module (monthly climate), which is not selected before it', {
      hint: 'list clim before smb_ti: override /processes: [clim, smb_ti, iceflow, time, thk]',
    });
  }
  return c;
}

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<SmbTiParams>(cfg, 'processes', 'smb_ti');
  checkTiParams(tiParamsOf(p, shared(state)), 'processes.smb_ti');
  if (!(p.ice_density > 0)) throw new NunatakError('CONFIG', `processes.smb_ti.ice_density = ${p.ice_density}: expected > 0 kg m-3`);
  state.extra.smb_ti = { key: NaN, balance: [] } satisfies SmbTiShared;
  state.ensure('smb');
  if (p.ref_years) referenceSmb(p, shared(state), state);
}

/** smb_ref: mean climatic balance over ref_years on the input surface (m ice eq. a⁻¹; no mask rules). */
function referenceSmb(p: SmbTiParams, c: ClimShared, state: SimState): void {
  const r = p.ref_years as number[];
  if (!(r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]) && r[0] <= r[1])) {
    throw new NunatakError('CONFIG', `processes.smb_ti.ref_years = [${r.join(', ')}]: expected [first, last] balance years, first ≤ last`);
  }
  const z = state.get('usurf').data;
  const sum = new Float64Array(z.length);
  const one = new Float32Array(z.length);
  const tp = tiParamsOf(p, c);
  for (let y = r[0]; y <= r[1]; y++) {
    const b = climateOf(c.series, y, c.hydroMonth); // names the years the file covers when y is not among them
    smbTiWasm(z, { temp: b.temp, prcp: b.prcp, refHgt: c.series.refHgt }, tp, one, undefined, undefined, tiScale(12, p.ice_density));
    for (let k = 0; k < z.length; k++) sum[k] += one[k];
  }
  const ref = state.ensure('smb_ref').data;
  for (let k = 0; k < z.length; k++) ref[k] = sum[k] / (r[1] - r[0] + 1);
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = params<SmbTiParams>(cfg, 'processes', 'smb_ti');
  const c = shared(state);
  const d = state.extra.smb_ti as SmbTiShared;
  if (d.key === c.key) return;
  d.key = c.key;
  const nm = c.block.temp.length;
  const smb = state.get('smb').data;
  const thk = state.fields.thk?.data;
  smbTiWasm(state.get('usurf').data, c.block, tiParamsOf(p, c), smb, p.zero_ice_free ? thk : undefined, state.fields.icemask?.data, tiScale(nm, p.ice_density));
  if (nm === 12 && thk) {
    const mask = state.fields.icemask?.data;
    let sum = 0;
    let cells = 0;
    for (let k = 0; k < smb.length; k++) {
      // the glacier: ice within the outline (ice pushed beyond it melts at −10 m a⁻¹, a model artefact)
      if (thk[k] > 0 && (!mask || mask[k] > 0.5)) {
        sum += smb[k];
        cells++;
      }
    }
    d.balance.push({ year: c.key, glacierWide: cells > 0 ? (sum / cells) * p.ice_density : NaN, cells });
  }
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
