/**
 * Analyse a synthetic 4D-STEM scan (see generate.ts) in one pass: a bright-
 * field virtual detector (disk), an annular dark-field detector (ring), and
 * the centre of mass with its field, divergence and curl. Compares the CoM
 * shifts with the known field and prints the errors.
 *
 * npx tsx examples/udf-4dstem/analyse.ts [scan.raw] [scan=128] [det=128] [threads|inline|distributed]
 */
import { Context } from '../../src/udf/context.js';
import { RawDataset } from '../../src/udf/dataset/raw.js';
import { ApplyMasksUDF, denseMasks, diskMask, ringMask } from '../../src/udf/builtins/masks.js';
import { CoMUDF } from '../../src/udf/builtins/com.js';
import type { ExecutorKind } from '../../src/exec/create.js';
import { shiftAt, type ScanOptions } from './generate.js';

export interface Analysis {
  bf: Float64Array;
  adf: Float64Array;
  /** Largest |CoM shift − true shift| (px). */
  maxShiftError: number;
  /** Mean curl and divergence over the interior of the scan. */
  meanCurl: number;
  meanDivergence: number;
}

export async function analyse(path: string, o: ScanOptions, kind: ExecutorKind = 'threads', workers = 2): Promise<Analysis> {
  const { scan, det } = o;
  const r = o.disk ?? det / 8;
  const c = (det - 1) / 2;
  const ds = new RawDataset({ path, dtype: 'float32', navShape: [scan, scan], sigShape: [det, det] });
  const ctx = await Context.make({ kind, workers });
  try {
    const masks = denseMasks([diskMask([det, det], c, c, r * 0.8), ringMask([det, det], c, c, 2 * r, 3 * r)]);
    const [m, com] = await ctx.runUdf(ds, [new ApplyMasksUDF({ masks }), new CoMUDF({ cy: c, cx: c, r: 1.5 * r })]);
    const det2 = m.get('intensity').data;
    const bf = new Float64Array(scan * scan);
    const adf = new Float64Array(scan * scan);
    for (let k = 0; k < scan * scan; k++) [bf[k], adf[k]] = [det2[2 * k], det2[2 * k + 1]];
    const sh = com.get('raw_shifts').data;
    let maxShiftError = 0;
    for (let j = 0; j < scan; j++) {
      for (let i = 0; i < scan; i++) {
        const [ty, tx] = shiftAt(o, j, i);
        const k = j * scan + i;
        maxShiftError = Math.max(maxShiftError, Math.abs(sh[2 * k] - ty), Math.abs(sh[2 * k + 1] - tx));
      }
    }
    const curl = com.get('curl').data;
    const div = com.get('divergence').data;
    let sc = 0;
    let sd = 0;
    let n = 0;
    for (let j = 1; j < scan - 1; j++) {
      for (let i = 1; i < scan - 1; i++) {
        sc += curl[j * scan + i];
        sd += div[j * scan + i];
        n++;
      }
    }
    return { bf, adf, maxShiftError, meanCurl: sc / n, meanDivergence: sd / n };
  } finally {
    await ctx.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path = 'scan.raw', scan = '128', det = '128', kind = 'threads'] = process.argv.slice(2);
  const o = { scan: Number(scan), det: Number(det) };
  const t = performance.now();
  const a = await analyse(path, o, kind as ExecutorKind);
  console.log(`analysed in ${((performance.now() - t) / 1000).toFixed(1)} s on ${kind}`);
  console.log(`max |CoM shift − true shift| = ${a.maxShiftError.toExponential(2)} px`);
  console.log(`mean curl ${a.meanCurl.toFixed(4)} (expected ${(-2 * 0.05).toFixed(4)}), mean divergence ${a.meanDivergence.toExponential(2)} (expected 0)`);
  const q = (v: Float64Array, j: number, i: number) => v[j * o.scan + i].toFixed(1);
  console.log(`ADF in the grain quadrant ${q(a.adf, 1, 1)} vs outside ${q(a.adf, o.scan - 2, o.scan - 2)}; BF ${q(a.bf, 1, 1)}`);
}
