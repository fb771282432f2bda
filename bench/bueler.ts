// Verification at more resolutions than CI runs: Bueler et al. (2005) tests B
// and C on 41², 81², 161² grids with the type-II SIA diffusion ('centered')
// and the superbee transport; prints errors and observed orders (markdown).
// Run: flock /tmp/nunatak-bench.lock npx tsx bench/bueler.ts
import { buelerSolution, runBueler, type Limiter } from '../src/sim/physics/index.ts';

const B = buelerSolution({ test: 'B' });
const C = buelerSolution({ test: 'C' });
const cases = [
  { name: 'B: t0 → t0 + 25 ka, L = 1200 km', opts: { test: 'B' as const, halfWidth: 1200e3, tStart: B.t0, tEnd: B.t0 + 25000 } },
  { name: 'C: t0/2 → t0, L = 900 km', opts: { test: 'C' as const, halfWidth: 900e3, tStart: C.t0 / 2, tEnd: C.t0 } },
];
const cells = (process.argv[2] ?? '41,81,161').split(',').map(Number);
console.log('| test | scheme | dx km | steps | volume err % | dome err % (order) | mean abs err m (order) | max abs err m | asymmetry m | budget closure | s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of cases) {
  for (const limiter of ['centered', 'superbee'] as Limiter[]) {
    let prev: { dome: number; mean: number } | null = null;
    for (const N of cells) {
      const t = performance.now();
      const r = runBueler({ ...c.opts, cells: N, limiter });
      const s = (performance.now() - t) / 1e3;
      const ord = (a: number, b: number) => (Math.log(a / b) / Math.log(2)).toFixed(2);
      console.log(
        `| ${c.name} | ${limiter} | ${(r.dx / 1e3).toFixed(1)} | ${r.steps} | ${(r.volumeError * 100).toFixed(3)} | ${(r.domeError * 100).toFixed(2)}${prev ? ` (${ord(prev.dome, r.domeError)})` : ''} | ` +
          `${r.meanError.toFixed(1)}${prev ? ` (${ord(prev.mean, r.meanError)})` : ''} | ${r.maxError.toFixed(0)} | ${r.asymmetry.toExponential(1)} | ${r.budgetError.toExponential(1)} | ${s.toFixed(1)} |`,
      );
      prev = { dome: r.domeError, mean: r.meanError };
    }
  }
}
