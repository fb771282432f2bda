/** `nunatak models run`: config → pre-flight → ensemble rollout → CF NetCDF or zarr, resumable. */
import { readFileSync, rmSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';
import { dirname } from 'node:path';
import { prepareOutDir, prepareOutFile } from '../core/out-path.js';
import { isZarrStore } from '../io/zarr/index.js';
import type { Executor } from '../exec/contract.js';
import { calendarHours } from './duration.js';
import { gridShape } from './grid.js';
import { findPackage } from './registry.js';
import { NetcdfSource } from './netcdf-source.js';
import { NetcdfSink } from './netcdf-sink.js';
import { ZarrSink } from './zarr-sink.js';
import type { ForecastOptions } from './forecast-layout.js';
import { outputSteps, runRollout, type RolloutPlan } from './rollout.js';
import { checkPerturbation } from './perturb/index.js';
import { outputFormat, startTimes, type RunConfig } from './run-config.js';
import { createExecutor } from '../exec/index.js';

export interface RunResult {
  path: string;
  initTimes: number;
  members: number;
  leads: number;
  seconds: number;
}

/** Removes the output file and its progress file when the progress file records no saved chunk. */
function removeIfNothingSaved(path: string, progressPath: string): void {
  let saved: unknown;
  try {
    saved = (JSON.parse(readFileSync(progressPath, 'utf8')) as { progress?: unknown }).progress ?? null;
  } catch {
    saved = null; // no readable progress: nothing was saved
  }
  if (saved !== null) return; // resumable: keep it (the error hint says --resume)
  // a zarr store is a folder: removed only when it is one (never an unrelated folder)
  if (isZarrStore(path)) rmSync(path, { recursive: true, force: true });
  else rmSync(path, { force: true });
  rmSync(progressPath, { force: true });
}

async function makeExecutor(cfg: RunConfig): Promise<Executor> {
  return createExecutor({ kind: cfg.executor.kind, workers: cfg.executor.workers, redis: cfg.executor.redis });
}

export async function runModels(cfg: RunConfig, o: { configText: string; resume?: boolean; overwrite?: boolean; onStep?: (done: number, total: number) => void }): Promise<RunResult> {
  const t0 = performance.now();
  const pkg = findPackage(cfg.model);
  // a bad output.path is one [IO] error before the model loads
  const zarr = outputFormat(cfg) === 'zarr';
  if (zarr) prepareOutDir(dirname(cfg.output.path), { what: 'folder of the rollout zarr store' });
  else prepareOutFile(cfg.output.path, { what: 'rollout output file' });
  const src = await NetcdfSource.open(cfg.data.file, { lexicon: cfg.data.lexicon });
  try {
    const [ny, nx] = gridShape(pkg.grid);
    const reg = cfg.output.region;
    const plan: RolloutPlan = {
      pkg,
      startTimes: startTimes(cfg, 'run config'),
      steps: cfg.steps,
      members: cfg.members,
      batchSize: cfg.batch_size,
      perturbation: cfg.perturbation,
      every: cfg.output.frequency,
      channels: cfg.output.channels ?? pkg.outChannels,
      region: reg ? { y0: reg.y[0], y1: reg.y[1], x0: reg.x[0], x1: reg.x[1] } : { y0: 0, y1: ny, x0: 0, x1: nx },
      chunkSteps: cfg.chunk_steps,
      threads: cfg.threads,
    };
    if (cfg.perturbation.method !== 'none' && cfg.members === 1) {
      throw new NunatakError('CONFIG', `perturbation '${cfg.perturbation.method}' with members: 1 does nothing (member 0 is the unperturbed control)`, { hint: 'set members ≥ 2' });
    }
    checkPerturbation(cfg.perturbation, pkg.grid, `model ${pkg.name}`);
    const leads = outputSteps(plan);
    const out: ForecastOptions = {
      path: cfg.output.path,
      grid: pkg.grid,
      region: plan.region,
      channels: plan.channels,
      members: cfg.members,
      startTimes: plan.startTimes,
      leadHours: leads.map((k) => k * calendarHours(pkg.timeStep, src.calendar)),
      // The forecast keeps the source's units and calendar (and, through pkg.grid, its CRS).
      units: src.units,
      calendar: src.calendar,
      startDates: plan.startTimes.map((t) => src.cfDate(t)),
      config: JSON.stringify({ ...cfg, time_step: pkg.timeStep.iso, region_y0: plan.region.y0, region_x0: plan.region.x0 }),
      model: pkg.name,
      resume: o.resume,
      overwrite: o.overwrite,
    };
    const { sink, progress } = zarr ? await ZarrSink.open({ ...out, zarrFormat: cfg.output.zarr_format }) : await NetcdfSink.open(out);
    try {
      const ex = await makeExecutor(cfg);
      try {
        await runRollout(plan, src, ex, sink, { resume: progress, onStep: o.onStep });
      } finally {
        await ex.close();
      }
    } catch (e) {
      // a run that failed before saving any chunk leaves no stub file behind (a retry needs no --overwrite)
      if (!o.resume) removeIfNothingSaved(cfg.output.path, sink.progressPath);
      throw e;
    }
    return { path: cfg.output.path, initTimes: plan.startTimes.length, members: cfg.members, leads: leads.length, seconds: (performance.now() - t0) / 1000 };
  } finally {
    src.close();
  }
}
