/**
 * The simulation engine. Lifecycle, exactly:
 *   run every input → initialize every process → initialize every output →
 *   loop { update each process; run each output; progress line } until the
 *   clock module (`time`) says stop → finalize each process once.
 * Module order is the order the experiment lists. Before anything runs, the
 * declared reads/writes are checked (see dependencies.ts) and a clock module
 * must be selected. The run folder is prepared (core/out-path: a clear `[IO]`
 * error for a bad path; an earlier run there is refused unless `overwrite`);
 * when the set-up (inputs, initialize) fails, the folder is removed again, so
 * failed runs leave no folders holding only config.yaml. After each process's
 * update the thickness is checked for NaN / Inf / negative values, naming the
 * module that wrote it; with `sim.debug` every field is checked after every
 * module. Ctrl-C stops at the end of the step and says what was saved and
 * how to continue (see interrupt.ts). A module reading a parameter its YAML
 * does not define is a CONFIG error at that read (strict-params.ts).
 */
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { log } from '../core/log.js';
import type { ConfigCatalog, ResolvedConfig } from '../core/config/index.js';
import { saveResolved } from '../core/config/index.js';
import { prepareOutDir } from '../core/out-path.js';
import { checkField, checkThickness, type CheckContext } from './physics/check.js';
import { watchInterrupt } from './interrupt.js';
import { fieldsOf, type InputModule, type OutputModule, type ProcessModule } from './contract.js';
import { checkDependencies } from './dependencies.js';
import { loadModules, type LoadedModule } from './loader.js';
import { SimState } from './state.js';
import { strictParams, type ParamReader } from './strict-params.js';

export interface RunOptions {
  catalog: ConfigCatalog;
  config: ResolvedConfig;
  /** Folder the run writes into (created; the resolved config is saved there). */
  outDir: string;
  /** Folder relative input paths start from (the experiment's folder). */
  baseDir: string;
  /** Called at every save with the progress numbers (for executors, tests). */
  onProgress?: (p: ProgressInfo) => void;
  /** Replace an earlier run in `outDir` (default: refuse a folder that holds files). */
  overwrite?: boolean;
}

export interface ProgressInfo {
  t: number;
  dt: number;
  it: number;
  /** Ice volume (km³). */
  volume: number;
  /** Glacier area (km²). */
  area: number;
}

export interface RunSummary extends ProgressInfo {
  outDir: string;
  /** Modules that ran, as kind/name (user modules marked). */
  modules: string[];
}

interface SimSection {
  check_every: number;
  progress: boolean;
  area_min_thk: number;
  debug?: boolean;
}

/** Runs one simulation to the end; returns the final numbers. */
export async function runSimulation(opts: RunOptions): Promise<RunSummary> {
  // modules see their parameter groups strict: an undeclared key is a CONFIG error at the read
  const reader: ParamReader = {};
  const yaml = (kind: string, name: string): string => {
    const f = opts.catalog.moduleDefaults(kind, name).file;
    return f === '(no parameters)' ? `${kind} module '${name}' (it has no defaults YAML)` : f;
  };
  const cfg = strictParams(opts.config.values, opts.config.selection, yaml, reader);
  const sim = (cfg.sim ?? { check_every: 1, progress: true, area_min_thk: 1 }) as unknown as SimSection;
  const mods = await loadModules(opts.catalog, opts.config.selection);
  checkDependencies(mods, cfg);
  const inputs = mods.filter((m) => m.kind === 'inputs');
  const processes = mods.filter((m) => m.kind === 'processes');
  const outputs = mods.filter((m) => m.kind === 'outputs');
  if (inputs.length === 0) throw new NunatakError('CONFIG', 'no input module selected', { hint: 'add override /inputs: [synthetic] or [local] to the experiment' });
  if (!processes.some((p) => (p.module as { clock?: boolean }).clock === true)) {
    throw new NunatakError('CONFIG', `no clock: the processes (${processes.map((p) => p.name).join(', ') || 'none'}) include no module that advances time, so the run would end before it starts`, {
      hint: 'add the time module: override /processes: [..., time, thk] (or a user process exporting clock = true)',
    });
  }

  const existed = existsSync(opts.outDir);
  // a file there is prepareOutDir's [IO] error, not a readdir crash
  const fresh = !existed || (statSync(opts.outDir).isDirectory() && readdirSync(opts.outDir).length === 0);
  prepareOutDir(opts.outDir, { what: 'run folder', existing: 'refuse', overwrite: opts.overwrite, isOurs: (d) => existsSync(join(d, 'config.yaml')) });
  saveResolved(opts.outDir, opts.config);
  const state = new SimState(undefined, { outDir: opts.outDir, baseDir: opts.baseDir });

  // wall time per module and lifecycle function (IGM's print_comp), in ms
  const timing = new Map<string, { ms: number; calls: number }>();
  const call = async (m: LoadedModule, fn: string, body: () => void | Promise<void>): Promise<void> => {
    const t0 = performance.now();
    reader.current = m;
    try {
      await body();
      const key = `${m.kind}/${m.name}.${fn}`;
      const e = timing.get(key) ?? { ms: 0, calls: 0 };
      e.ms += performance.now() - t0;
      e.calls++;
      timing.set(key, e);
    } catch (e) {
      if (e instanceof NunatakError) throw e;
      const err = e as Error;
      throw new NunatakError('EXEC', `${m.kind} module '${m.name}' failed in ${fn} at t = ${state.t} a (iteration ${state.it}): ${err.message}`, { cause: e, hint: moduleHint(m, e) });
    }
  };
  const debug = sim.debug === true;

  try {
    for (const m of inputs) {
      await call(m, 'run', () => (m.module as InputModule).run(cfg, state));
      // an input must deliver what it declared, or the reads check above meant nothing
      const missing = fieldsOf(m.module, cfg).writes.filter((w) => !state.has(w));
      if (missing.length) {
        throw new NunatakError('PLUGIN', `inputs module '${m.name}' declares writes ${missing.map((w) => `'${w}'`).join(', ')} but did not create ${missing.length > 1 ? 'them' : 'it'}`, {
          hint: `in ${m.source}: state.ensure(name) or state.set(field) for each declared field`,
        });
      }
      checkAfter(m, state, 1, debug);
    }
    for (const m of processes) await call(m, 'initialize', () => (m.module as ProcessModule).initialize(cfg, state));
    for (const m of outputs) await call(m, 'initialize', () => (m.module as OutputModule).initialize(cfg, state));
  } catch (e) {
    // nothing ran: leave no run folder holding only config.yaml behind
    if (fresh && existed) for (const n of readdirSync(opts.outDir)) rmSync(join(opts.outDir, n), { recursive: true, force: true });
    else if (fresh) rmSync(opts.outDir, { recursive: true, force: true });
    throw e;
  }

  const report = (): ProgressInfo => ({ t: state.t, dt: state.dt, it: state.it, volume: state.volumeKm3(), area: state.areaKm2(sim.area_min_thk) });
  const interrupt = watchInterrupt();
  let lastSave: number | undefined;
  try {
    state.it = 0;
    state.continueRun = true;
    while (state.continueRun) {
      for (const m of processes) {
        await call(m, 'update', () => (m.module as ProcessModule).update(cfg, state));
        checkAfter(m, state, sim.check_every, debug);
      }
      checkState(state, sim.check_every);
      for (const m of outputs) await call(m, 'run', () => (m.module as OutputModule).run(cfg, state));
      if (state.saveresult) {
        lastSave = state.t;
        const p = report();
        if (sim.progress) {
          // the numbers also as fields, for --json
          log.info(`t = ${fmt(p.t)} a  dt = ${fmt(p.dt)} a  it = ${p.it}  volume = ${p.volume.toFixed(4)} km³  area = ${p.area.toFixed(3)} km²`, { t: p.t, dt: p.dt, it: p.it, volume_km3: p.volume, area_km2: p.area });
        }
        opts.onProgress?.(p);
      }
      state.it++;
      if (state.continueRun) await interrupt.check(() => interruptedError(opts, state, lastSave, outputs));
    }
  } finally {
    interrupt.stop();
  }
  for (const m of processes) await call(m, 'finalize', () => (m.module as ProcessModule).finalize(cfg, state));
  writeTimings(opts.outDir, timing);
  return { ...report(), it: state.it, outDir: opts.outDir, modules: mods.map((m) => `${m.kind}/${m.name}${m.origin === 'user' ? ' (user)' : ''}`) };
}

/** `timings.csv`: module, function, calls, total ms, ms per call — slowest first. */
function writeTimings(dir: string, timing: Map<string, { ms: number; calls: number }>): void {
  const rows = [...timing].sort((a, b) => b[1].ms - a[1].ms);
  const lines = rows.map(([k, v]) => {
    const dot = k.lastIndexOf('.');
    return `${k.slice(0, dot)},${k.slice(dot + 1)},${v.calls},${v.ms.toFixed(3)},${(v.ms / v.calls).toFixed(4)}`;
  });
  writeFileSync(join(dir, 'timings.csv'), ['module,function,calls,total_ms,ms_per_call', ...lines].join('\n') + '\n');
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

/** NaN / Inf / negative thickness stops the run with time step and location (fields other than thk at saves). */
function checkState(state: SimState, every: number): void {
  if (every <= 0 || state.it % every !== 0 || !state.saveresult) return;
  const { spacing, ctx } = checkPlace(state);
  const hint = 'set sim.debug=true (nunatak run --debug) to check every field after every module and name the one that wrote it';
  for (const [name, f] of Object.entries(state.fields)) if (name !== 'thk' && name !== 'icemask') checkField(name, f.data, spacing, { ...ctx, hint }, false);
}

function checkPlace(state: SimState): { spacing: { nx: number; ny: number; dx: number; dy: number }; ctx: CheckContext } {
  const g = state.grid;
  return { spacing: { nx: g.nx, ny: g.ny, dx: Math.abs(g.dx), dy: g.dy }, ctx: { t: state.t, it: state.it, dt: state.dt, x0: g.x0, y0: g.y0 } };
}

/**
 * After module `m` ran: thk (NaN, Inf, negative) — and with `debug` every
 * field (NaN, Inf) — blaming `m`, since the check before it passed. The
 * built-in thk transport keeps the stability hint (a too long step).
 */
function checkAfter(m: LoadedModule, state: SimState, every: number, debug: boolean): void {
  if (every <= 0 || state.it % every !== 0 || !state.hasGrid) return;
  const { spacing, ctx } = checkPlace(state);
  const who = `${m.kind} module '${m.name}'${m.origin === 'user' ? ` (${m.source})` : ''}`;
  const transport = m.origin === 'builtin' && m.name === 'thk';
  const blame: CheckContext = { ...ctx, writer: who, hint: transport ? undefined : `${who} wrote it in ${m.kind === 'inputs' ? 'run' : 'update'}: check what it writes there` };
  if (state.has('thk')) checkThickness(state.fields.thk.data, spacing, blame);
  if (debug) for (const [name, f] of Object.entries(state.fields)) if (name !== 'thk') checkField(name, f.data, spacing, blame);
}

/** The Ctrl-C report: where the run stopped, what is on disk, how to continue. */
function interruptedError(opts: RunOptions, state: SimState, lastSave: number | undefined, outputs: LoadedModule[]): NunatakError {
  const nc = outputs.some((o) => o.name === 'write_ncdf') ? join(opts.outDir, ((opts.config.values.outputs as Record<string, { filename?: string }>)?.write_ncdf?.filename ?? 'output.nc')) : undefined;
  const saved = lastSave === undefined ? 'nothing was saved yet' : `the outputs in ${opts.outDir} are complete up to t = ${fmt(lastSave)} a`;
  const exp = opts.config.experimentFile ?? '<experiment>';
  const how = nc && lastSave !== undefined ? `continue with: nunatak run ${exp} --restart ${nc}@${fmt(lastSave)}` : 'no output.nc to restart from (select the write_ncdf output to make runs restartable)';
  return new NunatakError('CANCELLED', `interrupted at t = ${fmt(state.t)} a (iteration ${state.it}); ${saved}`, { hint: how });
}

/** Where a module's throw came from: for a user module its file:line (source-mapped stack) and `nunatak check`. */
function moduleHint(m: LoadedModule, e: unknown): string {
  if (m.origin !== 'user') return `in ${m.source}`;
  const stack = (e as Error | undefined)?.stack ?? '';
  const at = stack.split('\n').map((l) => l.replace(/^.*\(|\)$|^\s*at\s+/g, '').replace(/^file:\/\//, '')).find((l) => l.startsWith(`${m.source}:`));
  return `at ${at ?? m.source}; \`nunatak check ${m.source}\` type-checks it against nunatak's types and the module contract`;
}
