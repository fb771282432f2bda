/**
 * A PNG map per save (IGM `plot2d`): `var` (default velbar_mag, log scale)
 * over the hillshaded bed, ice-free cells transparent, with the icemask
 * outline; written as `<var>-<t>.png` in the run folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field } from '../../../core/field/field.js';
import { renderMap, type MapContour } from '../../../io/plot/index.js';
import { params, type OutputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface Plot2dParams {
  var: string;
  var_max: number | null;
  scale: 'auto' | 'linear' | 'log';
  colormap: string | null;
  min_thk: number;
  outline: boolean;
}

const isSpeed = (v: string) => v.startsWith('vel') || v.endsWith('bar') || v.includes('velsurf');

export const fields = (cfg: SimConfig) => ({ reads: ['topg', 'thk', params<Plot2dParams>(cfg, 'outputs', 'plot2d').var], optional: ['icemask'] });

/** The PNG of `var` at the current state. */
export function mapPng(p: Plot2dParams, state: SimState): Buffer {
  const src = state.get(p.var);
  const thk = state.get('thk').data;
  const data = new Float32Array(src.data.length);
  for (let k = 0; k < data.length; k++) data[k] = thk[k] > p.min_thk ? src.data[k] : NaN;
  const field = new Field({ name: p.var, grid: state.grid, units: src.units, data, longName: src.longName });
  const any = data.some((v) => Number.isFinite(v) && v > 0);
  if (!data.some((v) => Number.isFinite(v))) {
    // no ice anywhere (e.g. the first save of a growth run): map the bed
    return renderMap({ field: state.get('topg'), title: `no ice at t = ${state.t} a: bed elevation`, colormap: 'terrain', hillshade: true, hillshadeOptions: undefined }).png;
  }
  // an ice-free state (e.g. the first save) has nothing to put on a log scale
  const scale = !any ? 'linear' : p.scale === 'auto' ? (isSpeed(p.var) ? 'log' : 'linear') : p.scale;
  const contours: MapContour[] = [];
  if (p.outline && state.has('icemask')) contours.push({ field: state.get('icemask'), levels: [0.5], color: '#d62728', width: 1.2, label: 'outline' });
  let vmax = p.var_max ?? undefined;
  let vmin: number | undefined;
  if (scale === 'log') {
    vmin = 1;
    vmax ??= Math.max(10, ...data.filter((v) => Number.isFinite(v)));
  }
  if (!any) {
    vmin = 0;
    vmax ??= 1;
  }
  if (p.var === 'smb' && any && p.var_max === null) {
    let a = 0;
    for (const v of data) if (Number.isFinite(v)) a = Math.max(a, Math.abs(v));
    vmin = -a || -1;
    vmax = a || 1;
  }
  return renderMap({
    field, title: `${src.longName ?? p.var} at t = ${state.t} a`, colormap: p.colormap ?? (p.var === 'smb' ? 'RdBu' : 'viridis'), scale, vmin, vmax,
    hillshade: state.get('topg'), contours,
  }).png;
}

export function initialize(): void {}

export function run(cfg: SimConfig, state: SimState): void {
  if (!state.saveresult) return;
  const p = params<Plot2dParams>(cfg, 'outputs', 'plot2d');
  writeFileSync(join(state.outDir, `${p.var}-${state.t}.png`), mapPng(p, state));
}

const module: OutputModule = { initialize, run, fields };
export default module;
