/** Assemble the dataset of a config over a period (CAMELS-US or synthetic). */
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';
import { loadCamels, dateRange, isoDayMs } from '../data/camels.js';
import { fromCamels, type HydroDataset } from '../data/dataset.js';
import { syntheticForcing } from '../data/synthetic.js';
import type { HybridConfig } from './config.js';

/** ISO date `n` days before `iso`. */
export function daysBefore(iso: string, n: number): string {
  return new Date(isoDayMs(iso, 'period start') - n * 86400000).toISOString().slice(0, 10);
}

export function loadDataset(cfg: HybridConfig, start: string, end: string): HydroDataset {
  const d = cfg.data;
  dateRange(start, end); // a non-calendar day (2001-02-30) or end < start is a CONFIG error naming it
  if (d.source === 'synthetic') {
    if (!d.synthetic) throw new NunatakError('CONFIG', 'data.source synthetic needs data.synthetic {basins, days}');
    const s = d.synthetic;
    const all = dateRange(s.start, daysBefore(s.start, -(s.days - 1)));
    const i0 = all.indexOf(start), i1 = all.indexOf(end);
    if (i0 < 0 || i1 < 0) throw new NunatakError('CONFIG', `period ${start} … ${end} is outside the synthetic data (${all[0]} … ${all[all.length - 1]})`);
    const g = syntheticForcing(s.basins, s.days, s.attributes, cfg.seed);
    const nb = s.basins, nt = i1 - i0 + 1;
    const sub = (a: Float32Array) => a.slice(i0 * nb, (i1 + 1) * nb);
    // synthetic "observations": a fixed HBV-like response is not needed for scale tests; use a smoothed rain signal
    const q = new Float32Array(s.days * nb);
    for (let b = 0; b < nb; b++) {
      let v = 1;
      for (let t = 0; t < s.days; t++) {
        v = 0.9 * v + 0.05 * g.forcing.P[t * nb + b];
        q[t * nb + b] = v;
      }
    }
    const names = Array.from({ length: s.attributes }, (_, k) => `attr${k}`);
    return { ids: Array.from({ length: nb }, (_, b) => `syn${b}`), dates: all.slice(i0, i1 + 1), nt, nb, P: sub(g.forcing.P), T: sub(g.forcing.T), PET: sub(g.forcing.PET), qobs: sub(q), area: g.forcing.area!, attrNames: names, attr: g.attributes };
  }
  if (!d.path) throw new NunatakError('CONFIG', 'data.path (the CAMELS-US folder) is required for data.source camels_us');
  let ids = d.basins;
  if (!ids) {
    const f = join(d.path, 'basins.txt');
    if (!existsSync(f)) throw new NunatakError('NOT_FOUND', `${f} does not exist; list data.basins in the config`);
    ids = readFileSync(f, 'utf8').split(/\s+/).filter(Boolean);
  }
  return fromCamels(loadCamels(d.path, ids, start, end, d.attributes), d.attributes);
}
