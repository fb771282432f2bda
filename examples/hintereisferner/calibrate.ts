/**
 * Calibrates the ELA / gradient SMB of `smb_simple` from the WGMS
 * mass-balance profiles of Hintereisferner (mm w.e. per 50 m elevation band
 * and year, data/hintereisferner/profile_WGMS-00491.csv):
 *  1. convert to m ice eq. a⁻¹ (÷ 910: mm w.e. → m w.e. ÷ 1000, × ρ_w/ρ_i = 1000/910);
 *  2. average each band over the years of a period (missing values skipped);
 *  3. ELA = the lowest elevation where the mean profile changes sign from
 *     negative to positive (linear interpolation between the two bands);
 *  4. gradabl = least-squares slope of b(z) over the bands below the ELA;
 *     gradacc = slope over the bands from the ELA up to the highest mean
 *     balance; accmax = that highest mean balance.
 * Run `npx tsx examples/hintereisferner/calibrate.ts` to print the values
 * used in experiment.yaml (test/sim/hef-calibration.test.ts checks them
 * against NumPy).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Profiles {
  /** Band elevations (m a.s.l.). */
  z: number[];
  years: number[];
  /** b[year][band] in m ice eq. a⁻¹, NaN where missing. */
  b: number[][];
}

export interface SmbCalibration {
  period: [number, number];
  ela: number;
  gradabl: number;
  gradacc: number;
  accmax: number;
  /** Mean balance per band (m ice eq. a⁻¹). */
  profile: number[];
}

export function readProfiles(file: string): Profiles {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
  const z = lines[0].slice(1).map(Number);
  const years: number[] = [];
  const b: number[][] = [];
  for (const r of lines.slice(1)) {
    years.push(Number(r[0]));
    b.push(r.slice(1).map((v) => (v.trim() === '' ? NaN : Number(v) / 910)));
  }
  return { z, years, b };
}

function slope(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
  }
  return sxy / sxx;
}

export function calibrate(p: Profiles, period: [number, number]): SmbCalibration {
  const rows = p.b.filter((_, k) => p.years[k] >= period[0] && p.years[k] <= period[1]);
  const z: number[] = [];
  const profile: number[] = [];
  p.z.forEach((zz, i) => {
    const vals = rows.map((r) => r[i]).filter((v) => Number.isFinite(v));
    if (vals.length > 0) {
      z.push(zz);
      profile.push(vals.reduce((a, v) => a + v, 0) / vals.length);
    }
  });
  const k = profile.findIndex((v, i) => i > 0 && profile[i - 1] < 0 && v >= 0);
  if (k < 0) throw new Error(`no ELA in ${period.join('–')}: the mean profile does not cross zero`);
  const ela = z[k - 1] + ((0 - profile[k - 1]) * (z[k] - z[k - 1])) / (profile[k] - profile[k - 1]);
  let top = k;
  for (let i = k; i < profile.length; i++) if (profile[i] > profile[top]) top = i;
  const below = z.map((_, i) => i).filter((i) => z[i] < ela);
  const above = z.map((_, i) => i).filter((i) => z[i] >= ela && i <= top);
  const pick = (ix: number[], a: number[]) => ix.map((i) => a[i]);
  return {
    period,
    ela,
    gradabl: slope(pick(below, z), pick(below, profile)),
    gradacc: above.length >= 2 ? slope(pick(above, z), pick(above, profile)) : profile[top] / Math.max(1, z[top] - ela),
    accmax: profile[top],
    profile,
  };
}

const here = dirname(fileURLToPath(import.meta.url));
export const PROFILE_FILE = join(here, '../../data/hintereisferner/profile_WGMS-00491.csv');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const p = readProfiles(PROFILE_FILE);
  for (const period of [[1964, 1990], [1991, 2020]] as Array<[number, number]>) {
    const c = calibrate(p, period);
    console.log(`${period.join('–')}: ela ${c.ela.toFixed(1)} m, gradabl ${c.gradabl.toFixed(5)} a-1, gradacc ${c.gradacc.toFixed(5)} a-1, accmax ${c.accmax.toFixed(3)} m a-1`);
  }
}
