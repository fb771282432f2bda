/**
 * spherical_grf perturbation cost (run as `flock /tmp/nunatak-bench.lock npx tsx bench/spherical-grf.ts [reps]`):
 * one field draw (coefficients + inverse SHT) on earth2mip's 181×360 and
 * 721×1440 grids, one channel and 8 channels at once (the Legendre recurrence
 * is shared by a member's channels). Median and range of `reps` runs after a warm-up.
 */
import { equiangular } from '../src/models/grid.js';
import { uniformStream } from '../src/models/perturb/random.js';
import { sphericalGrf } from '../src/models/perturb/spherical-grf.js';

const reps = Number(process.argv[2] ?? 5);
const rows: string[] = ['| grid | channels | median ms | min–max ms | ms per channel |', '|---|---|---|---|---|'];
for (const [ny, nx] of [[181, 360], [721, 1440]]) {
  const g = equiangular(ny, nx);
  for (const C of [1, 8]) {
    sphericalGrf(uniformStream(1, 0), C, g.lat, g.lon, { alpha: 2, tau: 3 }); // warm-up (JIT, recurrence tables)
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      sphericalGrf(uniformStream(1, r + 1), C, g.lat, g.lon, { alpha: 2, tau: 3 });
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    const med = ms[Math.floor(ms.length / 2)];
    rows.push(`| ${ny}×${nx} | ${C} | ${med.toFixed(1)} | ${ms[0].toFixed(1)}–${ms[ms.length - 1].toFixed(1)} | ${(med / C).toFixed(1)} |`);
  }
}
console.log(rows.join('\n'));
