/**
 * IGM's pinnbp emulator retrained on Hintereisferner (as IGM does at the start of and during a
 * run: Adam on the BP energy of the network's own output) against nunatak's solved BP: the
 * surface-speed agreement (cells and corners, bp-surface-speed.ts) and J_emulator/J_solved
 * as functions of the retraining iterations, one table per grid spacing and learning rate.
 *   npx tsx bench/pinnbp-retrain.ts [--dx 200,100] [--lr 2e-5,1e-4,1e-3] [--its 0,1,10,50,100,200,500,1000,2000]
 * Prints markdown rows and the load average (uptime) before and after.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ready } from '../src/core/tensor/index.js';
import { loadBPModel } from '../src/emulator/bp-emulator.js';
import { hefGeometry } from '../src/emulator/bp-hef.js';
import { retrainCurve, type RetrainPoint } from '../src/emulator/bp-retrain-curve.js';
import { bpProblem, defaultBPSettings, solveBP } from '../src/sim/index.js';
import { PINNBP } from './bp-emulated-vs-solved.js';

export interface RetrainCurveRow extends RetrainPoint {
  dx: number;
  learningRate: number;
}

/** The curves for every (dx, lr); the reference is a cold L-BFGS solve as in compareEmulatedSolved (gtol 1e-5, ≤ 3000 iterations). */
export async function benchPinnbpRetrain(o: { dx: number[]; lr: number[]; its: number[]; emulator?: string; onRow?: (r: RetrainCurveRow) => void }): Promise<RetrainCurveRow[]> {
  await ready();
  const rows: RetrainCurveRow[] = [];
  for (const dx of o.dx) {
    const g = await hefGeometry({ dx, years: 200, arrhenius: 78, slidingco: 0.0464 });
    const P = bpProblem(g, defaultBPSettings({ Nz: 10, vert_spacing: 4 }));
    try {
      const solved = { U: new Float32Array(P.size), V: new Float32Array(P.size) };
      const r = solveBP(P, solved.U, solved.V, { nbitmax: 3000, gtol: 1e-5 });
      console.log(`# dx ${dx} m: ${g.ny} × ${g.nx}, solved in ${r.iterations} L-BFGS iterations (${r.reason}), J ${r.energy.toExponential(5)} MPa m/a, residual ${r.residual.toExponential(1)}`);
      for (const lr of o.lr) {
        const model = await loadBPModel(o.emulator ?? PINNBP);
        try {
          retrainCurve(model, { geom: g, problem: P }, solved, { learningRate: lr, checkpoints: o.its }, undefined, (p) => {
            const row = { ...p, dx, learningRate: lr };
            rows.push(row);
            o.onRow?.(row);
          });
        } finally {
          model.dispose();
        }
      }
    } finally {
      P.dispose();
    }
  }
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({ options: { dx: { type: 'string' }, lr: { type: 'string' }, its: { type: 'string' }, emulator: { type: 'string' } } });
  const list = (s: string | undefined, d: string) => (s ?? d).split(',').map(Number);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');
  console.log(`# load average before: ${load()}`);
  console.log('| dx (m) | lr | iterations | mean rel. corner surface speed | mean rel. cell surface speed | J_em / J_solved | s |');
  console.log('|---|---|---|---|---|---|---|');
  await benchPinnbpRetrain({
    dx: list(values.dx, '200,100'), lr: list(values.lr, '2e-5,1e-4,1e-3'), its: list(values.its, '0,1,10,50,100,200,500,1000,2000'), emulator: values.emulator,
    onRow: (r) => console.log(`| ${r.dx} | ${r.learningRate} | ${r.iterations} | ${r.meanRelCorners.toFixed(3)} | ${r.meanRelCells.toFixed(3)} | ${r.energyRatio.toFixed(4)} | ${r.seconds.toFixed(1)} |`),
  });
  console.log(`# load average after: ${load()}`);
}
