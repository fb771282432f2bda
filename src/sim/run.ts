/**
 * `nunatak run` in code: locate the experiment, build the catalogue, resolve
 * the config (experiment < overrides), run one simulation or, with
 * `multirun`, each sweep member through an executor into numbered
 * subfolders 0, 1, … of the run folder.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { prepareOutDir } from '../core/out-path.js';
import { resolveConfig, resolveMultirun } from '../core/config/index.js';
import { runSimulation, type ProgressInfo, type RunSummary } from './engine.js';
import { locateExperiment, simCatalog } from './experiment.js';
import { defaultRunDir } from './outdir.js';

export interface SimRunRequest {
  /** Experiment YAML or folder. */
  experiment: string;
  /** `key=value` overrides (sweeps `key=a,b` with multirun). */
  overrides?: string[];
  /** Run folder; default outputs/<date>/<time>/ under the current folder. */
  outDir?: string;
  /** Called at every save; `span` is the run's [start, end] (a) when the clock is the `time` module. */
  onProgress?: (p: ProgressInfo, span?: { start: number; end: number }) => void;
  /** Replace an earlier nunatak run in `outDir` (default: refuse a folder holding files). */
  overwrite?: boolean;
}

/** Runs one experiment (no sweeps). */
export async function runExperiment(req: SimRunRequest): Promise<RunSummary> {
  const loc = locateExperiment(req.experiment);
  const catalog = simCatalog(loc.root);
  const config = resolveConfig({ experimentFile: loc.file, overrides: req.overrides ?? [], catalog });
  // the saved config.yaml records where user/ and relative inputs are, so it re-runs from the run folder
  const sim = config.values.sim as { root?: string | null } | undefined;
  if (sim) sim.root = loc.root;
  const time = (config.values.processes as Record<string, { start?: unknown; end?: unknown }> | undefined)?.time;
  const span = typeof time?.start === 'number' && typeof time.end === 'number' ? { start: time.start, end: time.end } : undefined;
  const onProgress = req.onProgress && ((p: ProgressInfo) => req.onProgress!(p, span));
  return runSimulation({ catalog, config, outDir: req.outDir ?? defaultRunDir(), baseDir: loc.root, onProgress, overwrite: req.overwrite });
}

/** One multirun member as an executor task. */
export interface MemberTask {
  experiment: string;
  overrides: string[];
  outDir: string;
}

/** Task function for the executor (`nunatak/sim/run.ts#runMember`). */
export async function runMember(input: MemberTask): Promise<RunSummary> {
  return runExperiment({ experiment: input.experiment, overrides: input.overrides, outDir: input.outDir });
}

/** The members of a multirun, each with its numbered folder. */
export function planMultirun(req: SimRunRequest): { root: string; members: Array<MemberTask & { label: string }> } {
  const loc = locateExperiment(req.experiment);
  const runs = resolveMultirun({ experimentFile: loc.file, overrides: req.overrides ?? [], catalog: simCatalog(loc.root) });
  const root = prepareOutDir(req.outDir ?? defaultRunDir(), {
    what: 'multirun folder',
    existing: 'refuse',
    overwrite: req.overwrite,
    isOurs: (d) => existsSync(join(d, 'multirun.yaml')),
  });
  const members = runs.map((r, k) => ({ experiment: loc.file, overrides: r.overrides, outDir: join(root, String(k)), label: r.label }));
  writeFileSync(join(root, 'multirun.yaml'), members.map((m, k) => `${k}: "${m.label}"`).join('\n') + '\n');
  return { root, members };
}

/**
 * Overrides for `--restart file@time`: the `local` input reads the record at
 * `time` of an earlier output.nc (as NetCDF, whatever the experiment's input
 * type; no crop or coarsening: the file is already on the model grid), and
 * the clock starts there. Apply them after the user's overrides. output.nc
 * always holds topg, thk and icemask (write_ncdf), so the state is complete.
 */
export function restartOverrides(spec: string): string[] {
  const at = spec.lastIndexOf('@');
  if (at <= 0) throw new NunatakError('CONFIG', `--restart '${spec}' is not file@time`, { hint: 'e.g. --restart outputs/2026-01-01/10-00-00/output.nc@2050' });
  const file = resolve(spec.slice(0, at));
  const time = Number(spec.slice(at + 1));
  if (!Number.isFinite(time)) throw new NunatakError('CONFIG', `--restart '${spec}': time '${spec.slice(at + 1)}' is not a number (years)`);
  return [
    'inputs=[local]',
    'inputs.local.type=netcdf',
    `inputs.local.filename=${JSON.stringify(file)}`,
    `inputs.local.time=${time}`,
    ...['xmin', 'xmax', 'ymin', 'ymax'].map((k) => `inputs.local.crop.${k}=null`),
    'inputs.local.coarsening.ratio=1',
    `processes.time.start=${time}`,
  ];
}
