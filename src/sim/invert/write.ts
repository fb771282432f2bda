/**
 * Files of an inversion run, in `outDir`: `optimize.nc` (NetCDF4: thk, topg,
 * usurf, the modelled and observed surface speed, flux divergence and its
 * target, icemask, slidingco when inverted; x/y in m with the grid's CRS),
 * `costs.csv` (the cost components after every L-BFGS iteration, IGM's
 * costs.dat as CSV), and PNG maps `thk.png`, `topg.png`, `velsurf_mag.png`
 * plus the convergence chart `costs.png`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field } from '../../core/field/field.js';
import type { Grid } from '../../core/field/grid.js';
import { createNetcdf, renderChart, renderMap, PALETTE } from '../../io/index.js';
import { COST_PART_NAMES, type InversionData } from './objective.js';
import type { InversionResult } from './invert.js';

interface OutVar {
  name: string;
  units: string;
  longName: string;
  data: Float32Array;
}

function outVars(r: InversionResult, d: InversionData): OutVar[] {
  const n = r.thk.length;
  const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
  const vars: OutVar[] = [
    { name: 'thk', units: 'm', longName: 'inverted ice thickness', data: r.thk },
    { name: 'topg', units: 'm', longName: 'bed elevation (usurf - thk)', data: r.topg },
    { name: 'usurf', units: 'm', longName: 'ice surface elevation (fitted)', data: r.usurf },
    { name: 'usurfobs', units: 'm', longName: 'observed ice surface elevation', data: f32(d.usurfobs) },
    { name: 'icemask', units: '1', longName: 'ice mask (1 inside the outline)', data: f32(d.icemask) },
    { name: 'uvelsurf', units: 'm a-1', longName: 'modelled surface velocity, x component', data: r.uvelsurf },
    { name: 'vvelsurf', units: 'm a-1', longName: 'modelled surface velocity, y component', data: r.vvelsurf },
    { name: 'velsurf_mag', units: 'm a-1', longName: 'modelled surface speed', data: r.velsurf_mag },
    { name: 'divflux', units: 'm a-1', longName: 'modelled ice flux divergence', data: r.divflux },
  ];
  if (d.uvelsurfobs && d.vvelsurfobs) {
    const u = d.uvelsurfobs;
    const v = d.vvelsurfobs;
    vars.push({ name: 'velsurfobs_mag', units: 'm a-1', longName: 'observed surface speed', data: Float32Array.from({ length: n }, (_, k) => Math.hypot(u[k], v[k])) });
  }
  if (d.smb) {
    const smb = d.smb;
    vars.push({ name: 'divfluxobs', units: 'm a-1', longName: 'flux divergence target smb - dhdt', data: Float32Array.from({ length: n }, (_, k) => smb[k] - (d.dhdt ? d.dhdt[k] : 0)) });
  }
  if (d.thkobs) vars.push({ name: 'thkobs', units: 'm', longName: 'observed ice thickness', data: f32(d.thkobs) });
  if (r.slidingco) vars.push({ name: 'slidingco', units: 'MPa a^(1/3) m^(-1/3)', longName: 'inverted Weertman sliding coefficient', data: r.slidingco });
  return vars;
}

/** The cost history as CSV: `iteration,velsurf,thk,usurf,divflux,regu_thk,regu_slidingco,convexity,total`. */
export function costsCsv(r: InversionResult): string {
  const rows = r.history.map((p, it) => [it, ...COST_PART_NAMES.map((k) => p[k].toPrecision(8))].join(','));
  return [`iteration,${COST_PART_NAMES.join(',')}`, ...rows].join('\n') + '\n';
}

/** Write optimize.nc, costs.csv and the PNGs into `outDir` (created); returns the paths written. */
export async function writeInversion(outDir: string, grid: Grid, r: InversionResult, d: InversionData, o: { config?: string } = {}): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const vars = outVars(r, d);
  const nc = join(outDir, 'optimize.nc');
  const w = await createNetcdf(nc, {
    grid,
    variables: vars.map((v) => ({ name: v.name, units: v.units, longName: v.longName, dtype: 'float32' as const })),
    attrs: {
      Conventions: 'CF-1.8',
      source: 'nunatak invert (SIA thickness inversion)',
      ice_volume_m3: r.volume,
      mean_thickness_m: r.meanThk,
      iterations: r.iterations,
      stop_reason: r.reason,
    },
    history: 'nunatak invert',
    config: o.config,
    overwrite: true,
  });
  for (const v of vars) w.write(v.name, v.data);
  const csv = join(outDir, 'costs.csv');
  writeFileSync(csv, costsCsv(r));
  const field = (v: OutVar, maskOut: boolean) =>
    new Field({ name: v.name, grid, units: v.units, longName: v.longName, data: maskOut ? v.data.map((q, k) => (d.icemask[k] > 0.5 ? q : NaN)) : v.data });
  const byName = (n: string) => vars.find((v) => v.name === n)!;
  const mask = field(byName('icemask'), false);
  const contours = [{ field: mask, levels: [0.5], color: '#d62728', width: 1.2, label: 'outline' }];
  const bed = field(byName('topg'), false);
  const pngs = [
    { file: 'thk.png', f: field(byName('thk'), true), title: `inverted thickness (volume ${(r.volume / 1e9).toFixed(3)} km³, mean ${r.meanThk.toFixed(1)} m)`, cmap: 'viridis' },
    { file: 'topg.png', f: bed, title: 'bed elevation usurf − thk', cmap: 'terrain' },
    { file: 'velsurf_mag.png', f: field(byName('velsurf_mag'), true), title: 'modelled surface speed', cmap: 'magma' },
  ];
  const out = [nc, csv];
  for (const p of pngs) {
    const file = join(outDir, p.file);
    writeFileSync(file, renderMap({ field: p.f, title: p.title, colormap: p.cmap, hillshade: bed, contours }).png);
    out.push(file);
  }
  const its = r.history.map((_, i) => i);
  const series = COST_PART_NAMES.filter((k) => r.history.some((h) => h[k] > 0)).map((k, i) => ({ name: k, x: its, y: r.history.map((h) => h[k]), color: PALETTE[i % PALETTE.length] }));
  const chart = join(outDir, 'costs.png');
  writeFileSync(chart, renderChart({ title: 'inversion cost components', xLabel: 'iteration', xUnits: '', yLabel: 'cost', yUnits: '1', series, logY: true }).png);
  out.push(chart);
  return out;
}
