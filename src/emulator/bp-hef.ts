/**
 * A real glacier geometry for BP emulator training and checks: Hintereisferner
 * (examples/emulator/hef.yaml — SRTM DEM as the bed, RGI outline, the
 * 1964–1990 calibrated SMB) grown from ice-free with nunatak's SIA run for
 * `years` on a `dx` grid; the last saved thk, usurf are returned.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NunatakError } from '../core/errors.js';
import { openDataset } from '../io/netcdf/index.js';
import { runExperiment } from '../sim/index.js';
import type { BPInputGeometry } from './bp-emulator.js';

const HEF_YAML = resolve(fileURLToPath(import.meta.url), '../../../examples/emulator/hef.yaml');

export interface HefOptions {
  /** Grid spacing (m); 100 is the example's, coarser is faster. */
  dx: number;
  /** SIA years from ice-free (≥ 10). */
  years: number;
  arrhenius: number;
  slidingco: number;
}

export async function hefGeometry(o: HefOptions): Promise<BPInputGeometry> {
  if (!existsSync(HEF_YAML)) throw new NunatakError('NOT_FOUND', `Hintereisferner experiment ${HEF_YAML} is missing`, { hint: 'the repository examples/ folder is needed for real geometries' });
  const out = mkdtempSync(join(tmpdir(), 'nk-hef-'));
  try {
    await runExperiment({
      experiment: HEF_YAML,
      outDir: out,
      overrides: [`inputs.local.dx=${o.dx}`, `processes.time.end=${o.years}`, `processes.time.save=${o.years}`, `processes.iceflow.init_arrhenius=${o.arrhenius}`, 'sim.progress=false'],
    });
    const ds = await openDataset(join(out, 'output.nc'));
    try {
      const x = ds.read('x', undefined, 'float64').data;
      const y = ds.read('y', undefined, 'float64').data;
      const nx = x.length, ny = y.length, n = nx * ny;
      const last = (name: string) => {
        const d = ds.read(name, undefined, 'float32').data as Float32Array;
        return Float32Array.from(d.subarray(d.length - n));
      };
      return { nx, ny, dx: x[1] - x[0], thk: last('thk'), usurf: last('usurf'), arrhenius: o.arrhenius, slidingco: o.slidingco };
    } finally {
      ds.close();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
