/**
 * Re-draw the docs hydrographs (docs/img/hybrid/) from the flows and metrics
 * that `run.ts` saved, without re-training.
 * Run: npx tsx examples/dhbv/replot.ts [outputs root, default outputs/dhbv]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hydrographChart, hydrographTitle } from '../../src/hybrid/train/plots.js';
import { readEvalResult } from '../../src/hybrid/train/read-eval.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, '../../outputs/dhbv'));
const out = join(here, '../../docs/img/hybrid');
// run directory, legend label, title prefix, basins shown in docs/hybrid.md
const runs = [
  ['dhbv', 'simulated (δHBV 1.0)', 'δHBV 1.0', ['01022500', '01547700', '02064000', '03015500']],
  ['hbv_calibrated', 'simulated (calibrated HBV)', 'HBV 1.0 calibrated', ['02064000']],
  ['lstm', 'simulated (LSTM)', 'LSTM only', ['02064000']],
] as const;

for (const [run, label, prefix, basins] of runs) {
  const r = readEvalResult(join(root, run, 'test_2002-01-01_2002-12-31'));
  const nb = r.ids.length, nt = r.dates.length;
  for (const id of basins) {
    const b = r.ids.indexOf(id);
    if (b < 0) throw new Error(`${r.dir}: basin ${id} not in streamflow.csv`);
    const sim = Float32Array.from({ length: nt }, (_, t) => r.sim[t * nb + b]);
    const obs = Float32Array.from({ length: nt }, (_, t) => r.obs[t * nb + b]);
    const file = join(out, `${run}_${id}.png`);
    writeFileSync(file, hydrographChart(hydrographTitle(id, r.metrics?.[id], prefix), r.dates, obs, sim, label).png);
    console.log(file);
  }
}
