/**
 * The mass-balance experiment behind `nunatak calibrate`: the observed glacier
 * (RGI outline on the DEM) on a metric grid, the monthly climate at the
 * glacier, the temperature-index model calibrated on WGMS glacier-wide
 * balances over the calibration years, then a held-out hindcast and the
 * balance profile against the WGMS elevation bands. Writes into `out`:
 * calibration.json (parameters, fit, held-out scores, config overrides for
 * clim / smb_ti), mass_balance.csv (year,modelled,observed in mm w.e. a⁻¹),
 * mass_balance.png, profiles.csv and profiles.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glacierDomain, renderChart } from '../../io/index.js';
import { prepareOutDir } from '../../core/out-path.js';
import { smbTiWasm } from '../physics/smb-ti-wasm.js';
import { TI_DEFAULTS, type TiParams } from '../physics/smb-ti.js';
import { calibrateTI, fitStats, glacierWideBalance, type FitStats } from './calibrate-ti.js';
import { maskCentroidLonLat } from './location.js';
import { climateOf, readMonthlyClimate } from './monthly-climate.js';
import { readWgmsAnnual, readWgmsProfiles } from './wgms.js';

export interface MbExperimentOptions {
  /** Climate NetCDF (HISTALP-like: temp, prcp, hgt). */
  climate: string;
  dem: string;
  outline: string;
  /** WGMS glacier-wide annual balance table. */
  mb: string;
  /** WGMS balance-profile table (optional). */
  profile?: string;
  /** Metric CRS of the grid (e.g. EPSG:32632) and cell size (m). */
  crs: string;
  dx: number;
  interp: 'nearest' | 'bilinear';
  hydroMonth: number;
  /** Calibration and held-out years (inclusive). */
  calib: [number, number];
  holdout: [number, number];
  /** Years written to mass_balance.csv (inclusive). */
  report: [number, number];
  /** Years whose balance profile is compared. */
  profileYears: number[];
  /** Fixed model parameters (prcpFac: fixed value, or prior mean when fitted). */
  fixed: TiParams;
  fitPrcpFac: boolean;
  prcpFacSd: number;
  out: string;
}

export interface MbExperimentResult {
  params: TiParams;
  calibration: FitStats;
  holdout: FitStats;
  /** RMSE of the band balances (mm w.e. a⁻¹) per compared profile year. */
  profiles: Array<{ year: number; bands: number; rmse: number; bias: number }>;
  refHgt: number;
  areaKm2: number;
  out: string;
}

const range = ([a, b]: [number, number]) => Array.from({ length: b - a + 1 }, (_, k) => a + k);

export async function runMbExperiment(o: MbExperimentOptions): Promise<MbExperimentResult> {
  const out = prepareOutDir(o.out);
  const d = await glacierDomain({ dem: o.dem, outline: o.outline, crs: o.crs, dx: o.dx, margin: 2 * o.dx });
  const z = Float32Array.from(d.usurf.data.filter((_, k) => d.icemask.data[k] === 1));
  const [lon, lat] = maskCentroidLonLat(d.usurf.grid, d.icemask.data);
  const climate = await readMonthlyClimate({ file: o.climate, lon, lat, interp: o.interp });
  const observed = readWgmsAnnual(o.mb);
  const cal = calibrateTI({ climate, z, observed, years: o.calib, fixed: o.fixed, hydroMonth: o.hydroMonth, fitPrcpFac: o.fitPrcpFac, prcpFacSd: o.prcpFacSd });
  mkdirSync(out, { recursive: true }); // only once the fit succeeded: a failed calibration leaves no folder
  const years = range(o.report);
  const mod = glacierWideBalance(climate, z, cal.params, years, o.hydroMonth);
  const obs = years.map((y) => observed.get(y) ?? NaN);
  const held = years.map((y, k) => (y >= o.holdout[0] && y <= o.holdout[1] ? k : -1)).filter((k) => k >= 0);
  const holdout = fitStats(held.map((k) => mod[k]), held.map((k) => obs[k]));
  writeFileSync(join(out, 'mass_balance.csv'), 'year,modelled,observed\n' + years.map((y, k) => `${y},${mod[k].toFixed(1)},${Number.isFinite(obs[k]) ? obs[k].toFixed(1) : ''}`).join('\n') + '\n');
  writeFileSync(join(out, 'mass_balance.png'), renderChart({
    title: `Annual balance: fit ${o.calib.join('–')}, held out ${o.holdout.join('–')}`,
    xLabel: 'balance year', xUnits: 'a', yLabel: 'mass balance', yUnits: 'mm w.e. a⁻¹',
    series: [{ name: 'WGMS observed', x: years, y: obs, markers: true }, { name: 'temperature-index model', x: years, y: mod, markers: true }],
  }).png);
  const profiles: MbExperimentResult['profiles'] = [];
  if (o.profile) {
    const prof = readWgmsProfiles(o.profile);
    const cell = new Float32Array(z.length);
    const rows: string[] = ['year,z,modelled,observed'];
    const series: Array<{ name: string; x: number[]; y: number[]; dashed?: boolean; color?: string }> = [];
    const colors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00'];
    o.profileYears.forEach((year, yi) => {
      const ob = prof.byYear.get(year);
      if (!ob) return;
      const c = climateOf(climate, year, o.hydroMonth);
      smbTiWasm(z, { temp: c.temp, prcp: c.prcp, refHgt: climate.refHgt }, cal.params, cell, undefined, undefined, 1);
      // each cell to the nearest measured band (band labels are band mid-elevations)
      const bands = prof.z.map((_, i) => i).filter((i) => Number.isFinite(ob[i]));
      const sum = new Float64Array(prof.z.length);
      const cnt = new Float64Array(prof.z.length);
      for (let k = 0; k < z.length; k++) {
        let best = bands[0];
        for (const i of bands) if (Math.abs(prof.z[i] - z[k]) < Math.abs(prof.z[best] - z[k])) best = i;
        if (Math.abs(prof.z[best] - z[k]) > 50) continue;
        sum[best] += cell[k];
        cnt[best]++;
      }
      const used = bands.filter((i) => cnt[i] > 0);
      const m = used.map((i) => sum[i] / cnt[i]);
      const s = fitStats(m, used.map((i) => ob[i]));
      profiles.push({ year, bands: used.length, rmse: s.rmse, bias: s.bias });
      used.forEach((i, j) => rows.push(`${year},${prof.z[i]},${m[j].toFixed(1)},${ob[i].toFixed(1)}`));
      const color = colors[yi % colors.length];
      series.push({ name: `${year} WGMS`, x: used.map((i) => prof.z[i]), y: used.map((i) => ob[i]), color });
      series.push({ name: `${year} model`, x: used.map((i) => prof.z[i]), y: m, dashed: true, color });
    });
    writeFileSync(join(out, 'profiles.csv'), rows.join('\n') + '\n');
    if (series.length > 0) {
      writeFileSync(join(out, 'profiles.png'), renderChart({ title: 'Balance profile: WGMS (solid), model (dashed)', xLabel: 'elevation', xUnits: 'm a.s.l.', yLabel: 'mass balance', yUnits: 'mm w.e. a⁻¹', series }).png);
    }
  }
  const areaKm2 = (z.length * Math.abs(d.usurf.grid.dx * d.usurf.grid.dy)) / 1e6;
  const result: MbExperimentResult = { params: cal.params, calibration: cal.fit, holdout, profiles, refHgt: climate.refHgt, areaKm2, out };
  const overrides = {
    clim: { lapse_rate: cal.params.lapse, temp_bias: cal.params.tempBias, prcp_fac: cal.params.prcpFac, interp: o.interp, hydro_month: o.hydroMonth },
    smb_ti: { melt_f: cal.params.meltF, temp_melt: cal.params.tMelt, temp_all_solid: cal.params.tSolid, temp_all_liq: cal.params.tLiq },
  };
  writeFileSync(join(out, 'calibration.json'), JSON.stringify({ ...result, climate: { file: o.climate, lon: climate.lon, lat: climate.lat }, calib: o.calib, holdoutYears: o.holdout, processes: overrides }, null, 2) + '\n');
  return result;
}

/** Defaults of the experiment (OGGM parameters; WGMS calibration 1953–1989, held out 1990–2003). */
export const MB_EXPERIMENT_DEFAULTS = {
  crs: 'EPSG:32632', dx: 50, interp: 'nearest' as const, hydroMonth: 10,
  calib: [1953, 1989] as [number, number], holdout: [1990, 2003] as [number, number], report: [1954, 2003] as [number, number],
  profileYears: [1990, 1995, 2000, 2003], fixed: { ...TI_DEFAULTS }, fitPrcpFac: true, prcpFacSd: 0.5,
};
