/**
 * IGM's `smb_simple`: an ELA / gradient surface mass balance (m ice eq. a⁻¹)
 *   smb = (usurf − ELA) · (gradabl if usurf < ELA else gradacc), clipped to [−100, accmax],
 * with the parameters linearly interpolated in time from a table of rows
 * [time (a), gradabl (a⁻¹, i.e. m a⁻¹ per m), gradacc (a⁻¹), ela (m), accmax (m a⁻¹)].
 * Outside `icemask` (when given) positive SMB becomes −10 m a⁻¹ as in IGM, and
 * ice-free cells get no negative SMB (there is no ice to melt).
 */
import { NunatakError } from '../../core/errors.js';

/** SMB parameters at one time. */
export interface SmbParams {
  /** Ablation gradient (m ice eq. a⁻¹ per m of elevation). */
  gradabl: number;
  /** Accumulation gradient (m ice eq. a⁻¹ per m). */
  gradacc: number;
  /** Equilibrium-line altitude (m). */
  ela: number;
  /** Largest accumulation (m ice eq. a⁻¹). */
  accmax: number;
}

/** A parsed table, sorted by time. */
export interface SmbTable {
  time: number[];
  rows: SmbParams[];
}

const COLS = ['time', 'gradabl', 'gradacc', 'ela', 'accmax'] as const;

/**
 * Parses IGM's `array` (rows of [time, gradabl, gradacc, ela, accmax], an
 * optional header row of those names first). `key` names the config key in errors.
 */
export function parseSmbTable(array: unknown, key = 'processes.smb_simple.array'): SmbTable {
  if (!Array.isArray(array) || array.length === 0) {
    throw new NunatakError('CONFIG', `${key}: expected a non-empty list of rows [time, gradabl, gradacc, ela, accmax]`);
  }
  let rows = array as unknown[];
  let order: number[] = [0, 1, 2, 3, 4];
  const first = rows[0];
  if (Array.isArray(first) && first.every((x) => typeof x === 'string')) {
    const hdr = (first as string[]).map((s) => s.trim().toLowerCase());
    order = COLS.map((c) => {
      const k = hdr.indexOf(c);
      if (k < 0) throw new NunatakError('CONFIG', `${key}: header row lacks column '${c}'`, { hint: `expected columns ${COLS.join(', ')}` });
      return k;
    });
    rows = rows.slice(1);
  }
  const parsed: Array<[number, SmbParams]> = rows.map((r, idx) => {
    if (!Array.isArray(r) || r.length < 5) {
      throw new NunatakError('CONFIG', `${key}[${idx}]: expected 5 numbers [time, gradabl, gradacc, ela, accmax], got ${JSON.stringify(r)}`);
    }
    const v = order.map((c) => Number(r[c]));
    if (v.some((x) => !Number.isFinite(x))) {
      throw new NunatakError('CONFIG', `${key}[${idx}]: non-numeric value in ${JSON.stringify(r)}`);
    }
    return [v[0], { gradabl: v[1], gradacc: v[2], ela: v[3], accmax: v[4] }];
  });
  if (parsed.length === 0) throw new NunatakError('CONFIG', `${key}: header only, no data rows`);
  parsed.sort((a, b) => a[0] - b[0]);
  return { time: parsed.map((p) => p[0]), rows: parsed.map((p) => p[1]) };
}

/** Parameters at time t (a): linear interpolation, held constant outside the table (np.interp). */
export function smbParamsAt(table: SmbTable, t: number): SmbParams {
  const { time, rows } = table;
  if (t <= time[0]) return rows[0];
  const last = time.length - 1;
  if (t >= time[last]) return rows[last];
  let k = 0;
  while (time[k + 1] < t) k++;
  const w = (t - time[k]) / (time[k + 1] - time[k]);
  const a = rows[k];
  const b = rows[k + 1];
  const lerp = (x: number, y: number) => x + w * (y - x);
  return { gradabl: lerp(a.gradabl, b.gradabl), gradacc: lerp(a.gradacc, b.gradacc), ela: lerp(a.ela, b.ela), accmax: lerp(a.accmax, b.accmax) };
}

/**
 * Writes `smb` (m ice eq. a⁻¹) from `usurf` (m). `thk` (m) switches off melt
 * on ice-free cells; `icemask` (0/1) applies IGM's −10 m a⁻¹ outside the mask.
 */
export function smbSimple(
  usurf: Float32Array,
  p: SmbParams,
  smb: Float32Array,
  thk?: Float32Array,
  icemask?: Float32Array,
): void {
  const { gradabl, gradacc, ela, accmax } = p;
  const n = usurf.length;
  for (let k = 0; k < n; k++) {
    const d = usurf[k] - ela;
    let s = d * (d < 0 ? gradabl : gradacc);
    if (s > accmax) s = accmax;
    if (s < -100) s = -100;
    if (icemask !== undefined && s > 0 && !(icemask[k] > 0.5)) s = -10;
    if (thk !== undefined && s < 0 && !(thk[k] > 0)) s = 0;
    smb[k] = s;
  }
}
