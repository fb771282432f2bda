/**
 * IGM's `smb_simple`: ELA / gradient surface mass balance (m ice eq. a⁻¹),
 * parameters linearly interpolated in time from a table (`array` or `file`),
 * or constant (`ela`, `gradabl`, `gradacc`, `accmax`). Physics in
 * physics/smb-simple.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { parseSmbTable, smbParamsAt, smbSimple, type SmbTable } from '../../physics/smb-simple.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface SmbSimpleParams {
  ela: number;
  gradabl: number;
  gradacc: number;
  accmax: number;
  array: number[];
  file: string | null;
  update_freq: number;
}

interface SmbData {
  table: SmbTable;
  tlast: number;
}

/** The table from `file`, `array` (rows of 5) or the scalar parameters. */
export function smbTable(p: SmbSimpleParams, baseDir: string): SmbTable {
  if (p.file) {
    const f = resolve(baseDir, p.file);
    if (!existsSync(f)) throw new NunatakError('NOT_FOUND', `processes.smb_simple.file: ${f} does not exist`);
    const rows = readFileSync(f, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[\s,]+/));
    const table = rows.map((r, i) => (i === 0 && isNaN(Number(r[0])) ? r : r.map(Number)));
    return parseSmbTable(table, `processes.smb_simple.file (${f})`);
  }
  if (p.array.length > 0) {
    if (p.array.length % 5 !== 0) {
      throw new NunatakError('CONFIG', `processes.smb_simple.array has ${p.array.length} numbers, not rows of 5`, { hint: 'write [time, gradabl, gradacc, ela, accmax, time, ...]' });
    }
    const rows: number[][] = [];
    for (let k = 0; k < p.array.length; k += 5) rows.push(p.array.slice(k, k + 5));
    return parseSmbTable(rows);
  }
  return parseSmbTable([[0, p.gradabl, p.gradacc, p.ela, p.accmax]]);
}

export const fields = { reads: ['usurf'], optional: ['thk', 'icemask'], writes: ['smb'] };

export function initialize(cfg: SimConfig, state: SimState): void {
  const p = params<SmbSimpleParams>(cfg, 'processes', 'smb_simple');
  state.extra.smb_simple = { table: smbTable(p, state.baseDir), tlast: -Infinity } satisfies SmbData;
  state.ensure('smb');
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = params<SmbSimpleParams>(cfg, 'processes', 'smb_simple');
  const d = state.extra.smb_simple as SmbData;
  if (state.t - d.tlast < p.update_freq && d.tlast !== -Infinity) return;
  d.tlast = state.t;
  smbSimple(state.get('usurf').data, smbParamsAt(d.table, state.t), state.get('smb').data, state.fields.thk?.data, state.fields.icemask?.data);
}

export function finalize(): void {}

const module: ProcessModule = { initialize, update, finalize, fields };
export default module;
