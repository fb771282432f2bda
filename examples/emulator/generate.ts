/**
 * Training data from SIA: each plan case is one `nunatak run` whose run
 * folder is the DLE case folder `<data>/<dataset>/{train,test}/<case>/`.
 * sim's own output.nc (1-D x, y in m; thk, usurf, ubar, vbar … shaped
 * time × y × x) is read by the emulator's dataset reader as it is, so no
 * conversion step is needed; the reader computes slopsurfx/y from usurf.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExperiment } from '../../src/sim/run.js';
import type { Plan, SimCase } from './plan.js';

/** This folder (experiment files live here). */
export const EXAMPLE_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Overrides shared by every run of a plan: the time span and save interval. */
export function timeOverrides(plan: Plan): string[] {
  return [`processes.time.end=${plan.end}`, `processes.time.save=${plan.save}`];
}

/** Runs one case with SIA (or `extra` overrides) into `outDir`; returns wall seconds and the final volume. */
export async function runCase(plan: Plan, c: SimCase, outDir: string, extra: string[] = []): Promise<{ seconds: number; volume: number; steps: number }> {
  const t0 = performance.now();
  const r = await runExperiment({ experiment: join(EXAMPLE_DIR, c.experiment), outDir, overrides: [...c.overrides, ...timeOverrides(plan), ...extra] });
  return { seconds: (performance.now() - t0) / 1000, volume: r.volume, steps: r.it };
}

/** Writes every train case and the test case into `<dataRoot>/{train,test}/<case>/output.nc`. */
export async function generateDataset(plan: Plan, dataRoot: string, onCase?: (split: string, c: SimCase, r: { seconds: number; volume: number }) => void): Promise<void> {
  for (const [split, cases] of [['train', plan.train], ['test', [plan.test]]] as const) {
    for (const c of cases) {
      const r = await runCase(plan, c, join(dataRoot, split, c.name));
      onCase?.(split, c, r);
    }
  }
}
