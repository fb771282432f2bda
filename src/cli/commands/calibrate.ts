/**
 * `nunatak calibrate [folder]`: fit the temperature-index SMB (clim + smb_ti)
 * to WGMS glacier-wide annual balances and score a held-out hindcast. Keys of
 * `<folder>/calibrate.yaml` (paths relative to the folder) give defaults;
 * flags override them (paths relative to the working directory).
 */
import type { Command } from 'commander';

interface Opts {
  climate?: string; dem?: string; outline?: string; mb?: string; profile?: string; crs?: string; dx?: string;
  interp?: string; hydroMonth?: string; calib?: string; holdout?: string; report?: string; profileYears?: string;
  prcpFac?: string; fitPrcpFac?: boolean; prcpFacSd?: string; lapse?: string; tempMelt?: string; tempAllSolid?: string; tempAllLiq?: string; out?: string;
}

const HELP = `
Model (OGGM's monthly temperature-index model, as the clim + smb_ti sim modules):
  B = Σ_months [ f_solid(T) · prcp_fac · P  −  melt_f · d · max(T − temp_melt, 0) ]   (mm w.e.)
  T = T_climate + temp_bias + lapse · (z − ref_hgt), ref_hgt = height of the climate cell.
Fitted: melt_f (mm w.e. d-1 K-1, within 1.5–17) and temp_bias (K, within ±8) by least squares
against WGMS glacier-wide annual balance over the calibration years, on the observed glacier
(RGI outline on the DEM, equal-area cells). prcp_fac (1): fitted with a Gaussian prior
N(--prcp-fac, --prcp-fac-sd²) by default; --no-fit-prcp-fac holds it at --prcp-fac.

Writes into --out: calibration.json (parameters, fit and held-out r / RMSE / bias, and the
clim / smb_ti config values to use), mass_balance.csv (year,modelled,observed; mm w.e. a-1),
mass_balance.png, profiles.csv and profiles.png (balance vs elevation band).

Example:
  nunatak calibrate examples/hintereisferner-mb --out /tmp/hef-mb
  nunatak calibrate --climate clim.nc --dem dem.tif --outline rgi.shp --mb mbdata.csv --crs EPSG:32632 --out out
`;

function years(s: string, key: string): [number, number] {
  const m = /^(\d{3,4})\s*[-–:]\s*(\d{3,4})$/.exec(s.trim());
  if (!m) throw new Error(`--${key} '${s}': expected FIRST-LAST, e.g. 1953-1989`);
  return [Number(m[1]), Number(m[2])];
}

export function register(program: Command): void {
  program
    .command('calibrate')
    .description('fit the temperature-index mass balance (melt factor, temperature bias, precipitation factor) to WGMS annual balances and score a held-out hindcast')
    .argument('[folder]', 'folder with a calibrate.yaml holding any of the options below (long names, paths relative to the folder)')
    .option('--climate <nc>', 'NetCDF monthly climate: temp (degC or K), prcp (kg m-2 per month), hgt (m) on (time, lat, lon) (required, here or in calibrate.yaml)')
    .option('--dem <tif>', 'surface DEM GeoTIFF (m a.s.l.) of the observed glacier (required, here or in calibrate.yaml)')
    .option('--outline <shp>', 'glacier outline shapefile (RGI), rasterised on the grid = the observed geometry (required, here or in calibrate.yaml)')
    .option('--mb <csv>', 'WGMS annual balance table (YEAR, ANNUAL_BALANCE in mm w.e.) (required, here or in calibrate.yaml)')
    .option('--profile <csv>', 'WGMS balance-profile table (band elevations in m; mm w.e.) (default: none, no profile comparison)')
    .option('--crs <crs>', 'metric CRS of the grid (default: EPSG:32632, UTM 32N)')
    .option('--dx <m>', 'grid cell size in m (default: 50)')
    .option('--interp <how>', 'climate cell: nearest (OGGM) or bilinear (default: nearest)')
    .option('--hydro-month <m>', 'first month of the balance year, 1–12 (default: 10 = October, WGMS northern hemisphere)')
    .option('--calib <years>', 'calibration years FIRST-LAST (default: 1953-1989)')
    .option('--holdout <years>', 'held-out years FIRST-LAST, scored, not fitted (default: 1990-2003)')
    .option('--report <years>', 'years written to mass_balance.csv (default: 1954-2003)')
    .option('--profile-years <list>', 'comma-separated years whose balance profile is compared (default: 1990,1995,2000,2003)')
    .option('--prcp-fac <f>', 'precipitation factor (1): prior mean, or the fixed value with --no-fit-prcp-fac (default: 2.5, OGGM)')
    .option('--no-fit-prcp-fac', 'hold the precipitation factor fixed at --prcp-fac (fit only melt_f and temp_bias)')
    .option('--prcp-fac-sd <s>', 'prior standard deviation of the precipitation factor (1) (default: 0.5)')
    .option('--lapse <K/m>', 'temperature lapse rate in K m-1 (default: -0.0065)')
    .option('--temp-melt <degC>', 'melt threshold in degC (default: -1, OGGM)')
    .option('--temp-all-solid <degC>', 'all snow at or below, degC (default: 0)')
    .option('--temp-all-liq <degC>', 'all rain at or above, degC (default: 2)')
    .option('-o, --out <dir>', 'output folder (default: outputs/calibrate)')
    .addHelpText('after', HELP)
    .action(async (folder: string | undefined, flags: Opts) => {
      const { existsSync, readFileSync } = await import('node:fs');
      const { join, resolve } = await import('node:path');
      const { parse } = await import('yaml');
      const { runMbExperiment, MB_EXPERIMENT_DEFAULTS: D } = await import('../../sim/index.js');
      const { NunatakError } = await import('../../core/errors.js');
      const file: Record<string, unknown> = {};
      if (folder) {
        const f = join(folder, 'calibrate.yaml');
        if (!existsSync(f)) throw new NunatakError('NOT_FOUND', `${f} does not exist`, { hint: 'give a folder holding calibrate.yaml, or pass the options as flags' });
        const y = (parse(readFileSync(f, 'utf8')) ?? {}) as Record<string, unknown>;
        const paths = new Set(['climate', 'dem', 'outline', 'mb', 'profile', 'out']);
        for (const [k, v] of Object.entries(y)) {
          const key = k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
          if (!(key in ({ fitPrcpFac: 1, ...Object.fromEntries(program.commands.find((c) => c.name() === 'calibrate')!.options.map((o) => [o.attributeName(), 1])) }))) {
            throw new NunatakError('CONFIG', `${f}: unknown key '${k}'`, { hint: 'keys are the long option names of `nunatak calibrate --help`' });
          }
          file[key] = paths.has(key) && typeof v === 'string' ? resolve(folder, v) : v;
        }
      }
      const get = (k: keyof Opts): string | undefined => {
        const v = flags[k] !== undefined && !(k === 'fitPrcpFac' && flags.fitPrcpFac === true && 'fitPrcpFac' in file) ? flags[k] : file[k];
        return v === undefined || v === null ? undefined : String(v);
      };
      const need = (k: keyof Opts, flag: string): string => {
        const v = get(k);
        if (!v) throw new NunatakError('CONFIG', `nunatak calibrate: --${flag} is not given`, { hint: 'pass it, or put it in <folder>/calibrate.yaml' });
        return v;
      };
      const num = (k: keyof Opts, dflt: number): number => {
        const v = get(k);
        if (v === undefined) return dflt;
        const x = Number(v);
        if (!Number.isFinite(x)) throw new NunatakError('CONFIG', `nunatak calibrate: ${k} = '${v}' is not a number`);
        return x;
      };
      const yr = (k: keyof Opts, d: [number, number]) => {
        const v = get(k);
        try {
          return v ? years(v, k) : d;
        } catch (e) {
          throw new NunatakError('CONFIG', (e as Error).message);
        }
      };
      const interp = get('interp') ?? D.interp;
      if (interp !== 'nearest' && interp !== 'bilinear') throw new NunatakError('CONFIG', `--interp '${interp}': expected nearest or bilinear`);
      const r = await runMbExperiment({
        climate: need('climate', 'climate'), dem: need('dem', 'dem'), outline: need('outline', 'outline'), mb: need('mb', 'mb'), profile: get('profile'),
        crs: get('crs') ?? D.crs, dx: num('dx', D.dx), interp, hydroMonth: num('hydroMonth', D.hydroMonth),
        calib: yr('calib', D.calib), holdout: yr('holdout', D.holdout), report: yr('report', D.report),
        profileYears: get('profileYears') ? get('profileYears')!.split(',').map(Number) : D.profileYears,
        fixed: { ...D.fixed, prcpFac: num('prcpFac', D.fixed.prcpFac), lapse: num('lapse', D.fixed.lapse), tMelt: num('tempMelt', D.fixed.tMelt), tSolid: num('tempAllSolid', D.fixed.tSolid), tLiq: num('tempAllLiq', D.fixed.tLiq) },
        fitPrcpFac: get('fitPrcpFac') !== 'false', prcpFacSd: num('prcpFacSd', D.prcpFacSd), out: get('out') ?? 'outputs/calibrate',
      });
      const f = (s: { n: number; r: number; rmse: number; bias: number }) => `n ${s.n}, r ${s.r.toFixed(3)}, RMSE ${s.rmse.toFixed(0)} mm w.e. a-1, bias ${s.bias.toFixed(0)} mm w.e. a-1`;
      const p = r.params;
      const { emit } = await import('../output.js');
      emit({ event: 'calibrate', area_km2: r.areaKm2, ref_hgt_m: r.refHgt, melt_f: p.meltF, temp_bias: p.tempBias, prcp_fac: p.prcpFac, calibration: r.calibration, holdout: r.holdout, profiles: r.profiles, folder: r.out }, [
        `glacier ${r.areaKm2.toFixed(2)} km², climate reference height ${r.refHgt.toFixed(0)} m`,
        `fitted: melt_f ${p.meltF.toFixed(3)} mm w.e. d-1 K-1, temp_bias ${p.tempBias.toFixed(3)} K, prcp_fac ${p.prcpFac.toFixed(3)}`,
        `calibration: ${f(r.calibration)}`,
        `held out:    ${f(r.holdout)}`,
        ...r.profiles.map((q) => `profile ${q.year}: ${q.bands} bands, RMSE ${q.rmse.toFixed(0)}, bias ${q.bias.toFixed(0)} mm w.e. a-1`),
        `use: processes.clim.temp_bias=${p.tempBias.toFixed(4)} processes.clim.prcp_fac=${p.prcpFac.toFixed(4)} processes.smb_ti.melt_f=${p.meltF.toFixed(4)}`,
        `wrote ${r.out}/{calibration.json,mass_balance.csv,mass_balance.png${r.profiles.length ? ',profiles.csv,profiles.png' : ''}}`,
      ]);
    });
}
