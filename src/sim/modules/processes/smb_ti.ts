/**
 * IGM's `smb_oggm` (OGGM's monthly temperature-index model) on the block the
 * `clim` module provides: smb (m ice eq. a⁻¹) from usurf, one fused pass over
 * cells × months (AssemblyScript kernel, physics/smb-ti.ts its TypeScript
 * twin). Recomputed whenever clim loads a new block (each balance year, or
 * each month with clim.period = month). As smb_simple: −10 m a⁻¹ replaces
 * positive SMB outside icemask, ice-free cells get no negative SMB.
 */
import { NunatakError } from '../../../core/errors.js';
import { checkTiParams, tiScale, type TiParams } from '../../physics/smb-ti.js';
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
}

/** The model parameters from clim's and smb_ti's config sections. */
export function tiParamsOf(p: SmbTiParams, c: Pick<ClimShared, 'lapse' | 'tempBias' | 'prcpFac'>): TiParams {
  return { lapse: c.lapse, tempBias: c.tempBias, prcpFac: c.prcpFac, meltF: p.melt_f, tSolid: p.temp_all_solid, tLiq: p.temp_all_liq, tMelt: p.temp_melt };
}

export const fields = { reads: ['usurf'], optional: ['thk', 'icemask'], writes: ['smb'] };

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
  state.extra.smb_ti = { key: NaN };
  state.ensure('smb');
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = params<SmbTiParams>(cfg, 'processes', 'smb_ti');
  const c = shared(state);
  const d = state.extra.smb_ti as { key: number };
  if (d.key === c.key) return;
  d.key = c.key;
  const nm = c.block.temp.length;
  smbTiWasm(state.get('usurf').data, c.block, tiParamsOf(p, c), state.get('smb').data, p.zero_ice_free ? state.fields.thk?.data : undefined, state.fields.icemask?.data, tiScale(nm, p.ice_density));
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
