/**
 * Monthly climate at a glacier from a gridded NetCDF file (HISTALP, CRU, ERA5
 * monthly, OGGM's climate_historical): temperature, precipitation and the
 * height of the climate cell, picked at the nearest cell (OGGM's choice) or
 * interpolated bilinearly between the four surrounding cells. The series is
 * checked: consecutive months, no missing values, known units.
 */
import { NunatakError } from '../../core/errors.js';
import { openDataset, type Dataset } from '../../io/index.js';

/** Where and what to read (variable names default to HISTALP / OGGM's). */
export interface ClimateSource {
  /** NetCDF file path. */
  file: string;
  /** Glacier longitude (degrees east). */
  lon: number;
  /** Glacier latitude (degrees north). */
  lat: number;
  /** 'nearest' cell (OGGM) or 'bilinear' between the four surrounding cells. */
  interp?: 'nearest' | 'bilinear';
  /** Temperature variable (°C or K); default 'temp'. */
  tempVar?: string;
  /** Precipitation variable (kg m⁻² = mm per month); default 'prcp'. */
  prcpVar?: string;
  /** Height of the climate cells (m a.s.l.); default 'hgt'. A scalar `ref_hgt` attribute is used when the variable is absent. */
  hgtVar?: string;
}

/** A monthly series at the glacier. */
export interface MonthlyClimate {
  file: string;
  /** Calendar year and month (1–12) of the first value. */
  startYear: number;
  startMonth: number;
  /** Monthly mean temperature (°C) at `refHgt`. */
  temp: Float64Array;
  /** Monthly precipitation (kg m⁻² per month) at `refHgt`. */
  prcp: Float64Array;
  /** Height of the climate series (m a.s.l.). */
  refHgt: number;
  /** Location of the series: the nearest cell's centre, or the glacier point when bilinear. */
  lon: number;
  lat: number;
}

function need(ds: Dataset, name: string, role: string, file: string): void {
  if (!ds.has(name)) {
    throw new NunatakError('NOT_FOUND', `climate file ${file} has no ${role} variable '${name}' (variables: ${ds.vars.map((v) => v.name).join(', ')})`, {
      hint: `the clim module needs monthly temperature, precipitation and the cells' height; name them with temp_var / prcp_var / hgt_var`,
    });
  }
}

/** Axis index pairs and weights around value x (ascending or descending 1-D axis). */
function axisWeights(axis: Float64Array, x: number, interp: 'nearest' | 'bilinear', what: string, file: string): Array<[number, number]> {
  const n = axis.length;
  const lo = Math.min(axis[0], axis[n - 1]);
  const hi = Math.max(axis[0], axis[n - 1]);
  const cell = n > 1 ? Math.abs(axis[1] - axis[0]) : 0;
  if (x < lo - cell / 2 || x > hi + cell / 2) {
    throw new NunatakError('INPUT', `climate file ${file} does not cover ${what} ${x}: its cells span ${lo}–${hi}`, {
      hint: 'give the glacier location (clim.lon / clim.lat) inside the climate grid, or a climate file that covers the glacier',
    });
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (Math.abs(axis[i] - x) < Math.abs(axis[best] - x)) best = i;
  if (interp === 'nearest' || n === 1) return [[best, 1]];
  // the interval [i, i+1] that holds x (clamped to the grid: constant beyond the outer centres)
  let i = 0;
  while (i < n - 2 && (axis[i + 1] - x) * (axis[1] - axis[0]) <= 0) i++;
  let w = (x - axis[i]) / (axis[i + 1] - axis[i]);
  w = Math.min(1, Math.max(0, w));
  return [[i, 1 - w], [i + 1, w]];
}

/** Reads the monthly climate at (lon, lat). Errors name the file, the variable and what was expected. */
export async function readMonthlyClimate(src: ClimateSource): Promise<MonthlyClimate> {
  const file = src.file;
  const interp = src.interp ?? 'nearest';
  const tv = src.tempVar ?? 'temp';
  const pv = src.prcpVar ?? 'prcp';
  const hv = src.hgtVar ?? 'hgt';
  const ds = await openDataset(file);
  try {
    need(ds, tv, 'temperature', file);
    need(ds, pv, 'precipitation', file);
    if (!ds.has(hv) && typeof ds.attrs.ref_hgt !== 'number') {
      throw new NunatakError('NOT_FOUND', `climate file ${file} has neither a height variable '${hv}' nor a global attribute 'ref_hgt'`, {
        hint: 'the lapse rate needs the height (m a.s.l.) of the climate series; set hgt_var',
      });
    }
    const tInfo = ds.variable(tv);
    const [tdim, ydim, xdim] = tInfo.dims;
    if (tInfo.dims.length !== 3 && tInfo.dims.length !== 1) {
      throw new NunatakError('SHAPE', `climate file ${file}: '${tv}' has dimensions (${tInfo.dims.join(', ')}), expected (time, lat, lon) or (time)`);
    }
    const nt = tInfo.shape[0];
    const times = ds.readTimes(tdim);
    const first = times[0];
    if (!first) throw new NunatakError('INPUT', `climate file ${file}: cannot decode '${tdim}' as CF dates`, { hint: 'expected units like "days since 1801-01-01"' });
    for (let k = 1; k < nt; k++) {
      const d = times[k];
      const want = first.year * 12 + first.month - 1 + k;
      if (!d || d.year * 12 + d.month - 1 !== want) {
        throw new NunatakError('INPUT', `climate file ${file}: time step ${k} is ${d ? `${d.year}-${d.month}` : 'undecodable'}, expected ${Math.floor(want / 12)}-${(want % 12) + 1} (consecutive months)`, {
          hint: 'the clim module reads monthly series without gaps',
        });
      }
    }
    let cells: Array<[number, number, number]> = [[0, 0, 1]];
    let lon = src.lon;
    let lat = src.lat;
    if (tInfo.dims.length === 3) {
      const lats = Float64Array.from(ds.read(ydim).data as ArrayLike<number>);
      const lons = Float64Array.from(ds.read(xdim).data as ArrayLike<number>);
      const wy = axisWeights(lats, src.lat, interp, `latitude`, file);
      const wx = axisWeights(lons, src.lon, interp, `longitude`, file);
      cells = [];
      for (const [j, a] of wy) for (const [i, b] of wx) cells.push([j, i, a * b]);
      if (interp === 'nearest') {
        lat = lats[wy[0][0]];
        lon = lons[wx[0][0]];
      }
    }
    const series = (name: string): Float64Array => {
      const out = new Float64Array(nt);
      for (const [j, i, w] of cells) {
        const slab = tInfo.dims.length === 3 ? { start: [0, j, i], count: [nt, 1, 1] } : undefined;
        const d = ds.read(name, slab, 'float64').data as ArrayLike<number>;
        for (let k = 0; k < nt; k++) out[k] += w * d[k];
      }
      const bad = out.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        const y = first.year + Math.floor((first.month - 1 + bad) / 12);
        const m = ((first.month - 1 + bad) % 12) + 1;
        throw new NunatakError('INPUT', `climate file ${file}: '${name}' is missing (NaN / fill) at ${y}-${m} at the glacier`, { hint: 'use a gap-free series or another cell (clim.interp)' });
      }
      return out;
    };
    const temp = series(tv);
    const tUnits = String(tInfo.attrs.units ?? 'degC');
    if (tUnits === 'K' || tUnits === 'kelvin') for (let k = 0; k < nt; k++) temp[k] -= 273.15;
    else if (!/^(deg|°)\s*C|celsius|degC/i.test(tUnits)) {
      throw new NunatakError('INPUT', `climate file ${file}: '${tv}' has units '${tUnits}', expected degC or K`);
    }
    const pUnits = String(ds.variable(pv).attrs.units ?? 'kg m-2');
    if (/s-1|s\^-1|\/s|day/i.test(pUnits)) {
      throw new NunatakError('INPUT', `climate file ${file}: '${pv}' has units '${pUnits}', expected a monthly sum (kg m-2 or mm per month)`, { hint: 'convert rates to monthly totals first' });
    }
    const prcp = series(pv);
    if (prcp.some((v) => v < 0)) throw new NunatakError('INPUT', `climate file ${file}: '${pv}' has negative precipitation`);
    let refHgt: number;
    if (ds.has(hv)) {
      const h = ds.read(hv, undefined, 'float64').data as ArrayLike<number>;
      const nx = ds.variable(hv).shape.at(-1) ?? 1;
      refHgt = cells.reduce((s, [j, i, w]) => s + w * h[j * nx + i], 0);
    } else refHgt = ds.attrs.ref_hgt as number;
    return { file, startYear: first.year, startMonth: first.month, temp, prcp, refHgt, lon, lat };
  } finally {
    ds.close();
  }
}

/** Range of balance years [first, last] the series covers completely (balance year Y starts in `startMonth` of Y − 1 unless startMonth = 1). */
export function balanceYears(c: MonthlyClimate, startMonth: number): [number, number] {
  const i0 = c.startYear * 12 + c.startMonth - 1;
  const i1 = i0 + c.temp.length; // exclusive
  const off = startMonth === 1 ? 0 : -12;
  // first Y with (Y*12 + off + startMonth − 1) ≥ i0; last Y with that + 12 ≤ i1
  const first = Math.ceil((i0 - off - (startMonth - 1)) / 12);
  const last = Math.floor((i1 - 12 - off - (startMonth - 1)) / 12);
  return [first, last];
}

/**
 * Monthly temperature and precipitation of balance year `year` (12 months
 * from `startMonth` of year − 1; calendar year when startMonth = 1), or of one
 * month when `month` (1–12, calendar) is given. Throws naming the years covered.
 */
export function climateOf(c: MonthlyClimate, year: number, startMonth: number, month?: number): { temp: Float64Array; prcp: Float64Array } {
  const i0 = c.startYear * 12 + c.startMonth - 1;
  let a: number;
  let n = 12;
  if (month !== undefined) {
    a = year * 12 + month - 1 - i0;
    n = 1;
  } else a = (startMonth === 1 ? year : year - 1) * 12 + startMonth - 1 - i0;
  if (a < 0 || a + n > c.temp.length) {
    const [y0, y1] = balanceYears(c, startMonth);
    throw new NunatakError('INPUT', `climate file ${c.file} does not cover ${month !== undefined ? `${year}-${month}` : `balance year ${year}`}: it covers balance years ${y0}–${y1}`, {
      hint: 'shorten the run (processes.time.start / end) or give a longer climate file',
    });
  }
  return { temp: c.temp.slice(a, a + n), prcp: c.prcp.slice(a, a + n) };
}
