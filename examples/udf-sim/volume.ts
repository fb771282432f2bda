/**
 * "Sim output reduced per time step": ice volume (m³) of every time step of a
 * time × y × x ice-thickness NetCDF, as a UDF (nav = time, sig = y × x).
 *
 * No `nunatak sim` output file exists yet, so `writeHalfarOutput` builds one
 * with nunatak's NetCDF writer from Bueler et al.'s test B (Halfar dome, no
 * accumulation: the exact volume is constant in time), thk in m on a square
 * grid. The same reduction applies unchanged to a sim `output.nc`.
 *
 * npx tsx examples/udf-sim/volume.ts [out.nc] [threads|inline]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNetcdf } from '../../src/io/netcdf/index.js';
import { buelerSolution } from '../../src/sim/physics/bueler.js';
import type { ExecutorKind } from '../../src/exec/create.js';
import { Context } from '../../src/udf/context.js';
import { NetcdfDataset } from '../../src/udf/dataset/netcdf.js';
import { IceVolumeUDF } from './ice-volume-udf.js';

export interface HalfarOutput {
  /** Times (a) of the records. */
  times: number[];
  /** Exact volume (m³) of test B at each time. */
  exactVolume: number[];
  dx: number;
}

/** Write a Halfar-dome thickness series (Bueler test B) as NetCDF4 `path`: nx × nx cells of dx m, `steps` records from t0 to 4 t0. */
export async function writeHalfarOutput(path: string, nx = 61, dx = 30_000, steps = 6): Promise<HalfarOutput> {
  const b = buelerSolution({ test: 'B' });
  const half = ((nx - 1) / 2) * dx;
  const grid = { nx, ny: nx, x0: -half, y0: -half, dx, dy: dx, crs: 'EPSG:3413' };
  const w = await createNetcdf(path, {
    grid,
    time: { units: 'days since 0001-01-01', calendar: '365_day' },
    variables: [{ name: 'thk', units: 'm', longName: 'ice thickness', standardName: 'land_ice_thickness' }],
    history: 'examples/udf-sim: Bueler test B (Halfar dome) thickness',
    overwrite: true,
  });
  const times = Array.from({ length: steps }, (_, k) => b.t0 * (1 + (3 * k) / (steps - 1)));
  const thk = new Float32Array(nx * nx);
  for (const t of times) {
    for (let j = 0; j < nx; j++) for (let i = 0; i < nx; i++) thk[j * nx + i] = b.thk(t, Math.hypot(-half + i * dx, -half + j * dx));
    w.append(t * 365, { thk });
  }
  return { times, exactVolume: times.map((t) => b.volume(t)), dx };
}

/** Volume per time step (m³) of variable `thk` of a time × y × x NetCDF file with square cells of `dx` m. */
export async function volumePerStep(path: string, dx: number, kind: ExecutorKind = 'threads', variable = 'thk'): Promise<Float64Array> {
  const ds = await NetcdfDataset.open({ path, variable });
  const ctx = await Context.make({ kind, workers: 2 });
  try {
    const r = await ctx.runUdf(ds, new IceVolumeUDF({ cellArea: dx * dx }));
    return Float64Array.from(r.get('volume').data);
  } finally {
    await ctx.close();
    ds.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [path = 'outputs/udf-sim/halfar.nc', kind = 'threads'] = process.argv.slice(2);
  const { mkdirSync } = await import('node:fs');
  const { dirname } = await import('node:path');
  mkdirSync(dirname(path), { recursive: true });
  const h = await writeHalfarOutput(path);
  const v = await volumePerStep(path, h.dx, kind as ExecutorKind);
  console.log('time (a)   volume (km³)   exact (km³)   rel. diff');
  h.times.forEach((t, k) => console.log(`${t.toFixed(0).padStart(8)} ${(v[k] / 1e9).toFixed(1).padStart(14)} ${(h.exactVolume[k] / 1e9).toFixed(1).padStart(13)} ${((v[k] - h.exactVolume[k]) / h.exactVolume[k]).toExponential(2).padStart(11)}`));
}
