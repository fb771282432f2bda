/**
 * Real face outputs for the `nunatak view` face tests, each written by the
 * project's own code: a short valley sim run (write_ncdf, write_ts, timings),
 * a 3-member persistence forecast of the A1B data with its scores, a hybrid
 * evaluation folder (streamflow.csv + metrics.json from basinMetrics) and an
 * emulator training folder (train-history.csv and prediction maps from the
 * emulator's artefact writers).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runExperiment } from '../../src/sim/run.ts';
import { loadRunConfig } from '../../src/models/run-config.ts';
import { runModels } from '../../src/models/run.ts';
import { NetcdfSource } from '../../src/models/netcdf-source.ts';
import { climatologyFromYears, scoreForecast, writeScores } from '../../src/models/score.ts';
import { basinMetrics } from '../../src/hybrid/train/metrics.ts';
import { writeHistory, writePredictionMaps } from '../../src/emulator/artifacts.ts';
import { makeExperiment, valleyYaml } from '../sim/engine-helpers.ts';

export const A1B = resolve('data/models/A1B_north_america.nc');

/** A 40-year valley run saved every 10 years: output.nc, output_ts.nc (with the mass budget), timings.csv. */
export async function simRun(): Promise<string> {
  const root = makeExperiment({ 'experiment.yaml': valleyYaml({ outputs: ['write_ncdf', 'write_ts'], time: 'start: 0, end: 40, save: 10', procs: '  smb_simple: {ela: 2500, update_freq: 0}\n' }) });
  const out = join(root, 'run');
  await runExperiment({ experiment: root, outDir: out });
  return out;
}

/** `dir/fc.nc`: 2 starts × 3 members × 4 leads of t2m; `dir/scores/persistence.scores.nc`. */
export async function modelsRun(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const cfgFile = join(dir, 'run.yaml');
  writeFileSync(
    cfgFile,
    `model: ${resolve('examples/models/persistence')}\ndata:\n  file: ${A1B}\n  lexicon: {t2m: air_temperature}\n` +
      `start_times: {start: "2041-06-01", end: "2042-06-01", every: P1Y}\nsteps: 3\nmembers: 3\nperturbation: {method: gaussian, amplitude: 0.5, seed: 3}\noutput:\n  path: ${join(dir, 'fc.nc')}\n`,
  );
  const { cfg, text } = loadRunConfig(cfgFile);
  await runModels(cfg, { configText: text });
  const src = await NetcdfSource.open(A1B, { lexicon: { t2m: 'air_temperature' } });
  try {
    const clim = await climatologyFromYears(src, src.channels, 2031, 2040);
    await writeScores(join(dir, 'scores'), [await scoreForecast(join(dir, 'fc.nc'), src, clim)], { name: 'a', hours: 8766 });
  } finally {
    src.close();
  }
}

/** Simulated and observed flow (mm/d) of basin b on day t: smooth seasonal curves, a few observations missing. */
export const flow = (b: number, t: number) => ({ sim: 1 + b + Math.sin(t / 9) ** 2, obs: t % 17 === 5 ? NaN : 1 + b + Math.sin(t / 9 + 0.2) ** 2 });
export const BASINS = ['01013500', '01022500'];
export const DAYS = 60;

/** `dir/streamflow.csv` (date,<id>_sim,<id>_obs,…) as hybrid's evaluate writes it, and metrics.json from basinMetrics. */
export function hybridEval(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const day = (t: number) => new Date(Date.UTC(2000, 0, 1 + t)).toISOString().slice(0, 10);
  const lines = [`date,${BASINS.flatMap((id) => [`${id}_sim`, `${id}_obs`]).join(',')}`];
  for (let t = 0; t < DAYS; t++) lines.push(`${day(t)},${BASINS.flatMap((_, b) => [flow(b, t).sim.toFixed(5), Number.isNaN(flow(b, t).obs) ? '' : flow(b, t).obs.toFixed(5)]).join(',')}`);
  writeFileSync(join(dir, 'streamflow.csv'), lines.join('\n') + '\n');
  const metrics = Object.fromEntries(
    BASINS.map((id, b) => {
      const col = (k: 'sim' | 'obs') => Float32Array.from({ length: DAYS }, (_, t) => Number(flow(b, t)[k].toFixed(5)));
      return [id, basinMetrics(col('sim'), col('obs'))];
    }),
  );
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 1));
}

/** `dir/train-history.csv` (5 epochs) and one test case's TRUE | PREDICTED maps. */
export function emulatorRun(dir: string): void {
  mkdirSync(join(dir, 'caseA'), { recursive: true });
  const rows = Array.from({ length: 5 }, (_, k) => ({ epoch: k + 1, loss: 1 / (k + 1), mae: 0.5 / (k + 1), mse: 1 / (k + 1), val_loss: 1.2 / (k + 1), val_mae: 0.6 / (k + 1), val_mse: 1.2 / (k + 1), seconds: 1 }));
  writeHistory(dir, rows);
  const n = 16 * 20;
  const truth = [Float32Array.from({ length: n }, (_, k) => k % 20)];
  const pred = [Float32Array.from({ length: n }, (_, k) => (k % 20) * 1.1)];
  const s = writePredictionMaps(join(dir, 'caseA', 'predict-caseA_0000'), 'caseA', 0, 16, 20, 100, truth, pred, 'm/a');
  writeFileSync(join(dir, 'predict-scores.txt'), `case frame mae rmse\ncaseA 0 ${s.mae} ${s.rmse}\n`);
}
