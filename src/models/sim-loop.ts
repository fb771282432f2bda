/**
 * A `sim` experiment as a model time loop (entrypoint `load`). The
 * experiment's inputs define the grid, bed and initial thickness; its
 * processes step the state. One model step is `time_step` (whole years) of
 * simulated time: the loop sets the clock's save interval to it, so every
 * step ends exactly on a save time, as a direct `nunatak run` with
 * `processes.time.save` = that interval does. Outputs modules are not run
 * (the model rollout writes its own NetCDF).
 *
 * in_channels must be ['thk'] (m; the only prognostic field): x[:, T−1]
 * replaces the experiment's initial thickness. out_channels are any state
 * fields (thk, usurf, velbar_mag, smb, …). Step 0 is the state after the
 * clock's iteration 0 (dt = 0), where the velocities of the initial
 * thickness are known.
 *
 * Restart token: {t (model years), thk (base64 float32)} per batch member.
 * Resuming rebuilds the state with `processes.time.start = t` and that
 * thickness; every other field is diagnostic, so the continuation is the
 * uninterrupted run (tested bit-identical).
 */
import { NunatakError } from '../core/errors.js';
import { resolveConfig, type ConfigCatalog, type ResolvedConfig } from '../core/config/index.js';
import { fieldsOf, type InputModule, type ProcessModule } from '../sim/contract.js';
import { checkDependencies } from '../sim/dependencies.js';
import { locateExperiment, simCatalog } from '../sim/experiment.js';
import { loadModules, type LoadedModule } from '../sim/loader.js';
import { checkThickness } from '../sim/physics/check.js';
import { SimState } from '../sim/state.js';
import { gridX, gridY } from '../core/field/grid.js';
import { base64ToF32, expectShape, f32ToBase64, type NdArray } from './array.js';
import { addDuration } from './duration.js';
import { gridShape, type ModelGrid } from './grid.js';
import type { ModelPackage } from './package.js';
import type { LoopItem, RestartToken, TimeLoop } from './time-loop.js';
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';

/** Package kwargs of a sim loop. */
export interface SimLoopKwargs {
  /** Experiment YAML or folder, relative to the package folder. */
  experiment: string;
  /** `key=value` overrides applied to the experiment (e.g. a coarser dx). */
  overrides?: string[];
  /** Most steps one loop may take (sizes the clock's save table; default 10000). */
  max_steps?: number;
}

interface Member {
  state: SimState;
  /** Model time (a) of the next save the loop stops at. */
  step: number;
}

interface SimToken extends RestartToken {
  kind: 'sim';
  /** Model time (a) of each member at this step. */
  t: number[];
  /** Thickness (m) of each member, base64 float32 (ny·nx). */
  thk: string[];
}

const TOL = 1e-6;

function kwargsOf(pkg: ModelPackage, kw: Record<string, unknown>): Required<SimLoopKwargs> {
  const where = `${pkg.dir}/metadata.json: entrypoint.kwargs`;
  if (typeof kw.experiment !== 'string' || kw.experiment === '') throw new NunatakError('CONFIG', `${where}.experiment must name the sim experiment file or folder`);
  const ov = kw.overrides ?? [];
  if (!Array.isArray(ov) || ov.some((o) => typeof o !== 'string')) throw new NunatakError('CONFIG', `${where}.overrides must be a list of 'key=value' strings`);
  const max = kw.max_steps ?? 10000;
  if (!Number.isInteger(max) || (max as number) < 1) throw new NunatakError('CONFIG', `${where}.max_steps must be a positive integer, got ${String(max)}`);
  const unknown = Object.keys(kw).filter((k) => !['experiment', 'overrides', 'max_steps'].includes(k));
  if (unknown.length) throw new NunatakError('CONFIG', `${where}: unknown key ${unknown.map((k) => `'${k}'`).join(', ')}`, { hint: 'allowed: experiment, overrides, max_steps' });
  return { experiment: kw.experiment, overrides: ov as string[], max_steps: max as number };
}

/** Entrypoint: `{"entrypoint": {"name": "nunatak/models/sim-loop.ts#load", "kwargs": {"experiment": …}}}`. */
export async function load(pkg: ModelPackage, kwargs: Record<string, unknown>): Promise<TimeLoop> {
  const file = `${pkg.dir}/metadata.json`;
  const kw = kwargsOf(pkg, kwargs);
  if (pkg.inChannels.length !== 1 || pkg.inChannels[0] !== 'thk') {
    throw new NunatakError('CONFIG', `${file}: a sim package has in_channels ["thk"] (the prognostic thickness), got [${pkg.inChannels.join(', ')}]`);
  }
  const ts = pkg.timeStep;
  if (ts.months !== 0 || ts.days !== 0 || ts.seconds !== 0) {
    throw new NunatakError('CONFIG', `${file}: time_step '${ts.iso}' must be whole years for a sim package (model time is in years)`);
  }
  if (pkg.nHistoryLevels !== 1) throw new NunatakError('CONFIG', `${file}: a sim package reads one time level (n_history 0)`);
  const loc = locateExperiment(resolve(pkg.dir, kw.experiment));
  const catalog = simCatalog(loc.root);
  const base = resolveConfig({ experimentFile: loc.file, overrides: kw.overrides, catalog });
  const time = (base.values.processes as Record<string, Record<string, number>> | undefined)?.time;
  if (!time) throw new NunatakError('CONFIG', `${loc.file}: the experiment selects no 'time' process; a sim package needs the clock`);
  const mods = await loadModules(catalog, base.selection);
  checkDependencies(mods, base.values);
  return new SimLoop(pkg, loc, catalog, kw, mods, Number(time.start), ts.years);
}

class SimLoop implements TimeLoop {
  inChannels: string[];
  outChannels: string[];
  grid: ModelGrid;
  nHistoryLevels = 1;
  historyTimeStep;
  timeStep;

  constructor(
    private pkg: ModelPackage,
    private loc: { file: string; root: string },
    private catalog: ConfigCatalog,
    private kw: Required<SimLoopKwargs>,
    private mods: LoadedModule[],
    private start: number,
    private years: number,
  ) {
    this.inChannels = pkg.inChannels;
    this.outChannels = pkg.outChannels;
    this.grid = pkg.grid;
    this.historyTimeStep = pkg.historyTimeStep;
    this.timeStep = pkg.timeStep;
  }

  /** The experiment's config with the clock started at `t0` and saving every step. */
  private config(t0: number): ResolvedConfig {
    const ov = [...this.kw.overrides, `processes.time.start=${t0}`, `processes.time.save=${this.years}`, `processes.time.end=${t0 + this.years * this.kw.max_steps}`];
    return resolveConfig({ experimentFile: this.loc.file, overrides: ov, catalog: this.catalog });
  }

  /** Runs the inputs, sets the thickness, initializes the processes and takes iteration 0 (dt = 0). */
  private async build(t0: number, thk: Float32Array | null): Promise<{ state: SimState; cfg: ResolvedConfig }> {
    const cfg = this.config(t0);
    const v = cfg.values;
    const state = new SimState(undefined, { outDir: tmpdir(), baseDir: this.loc.root });
    for (const m of this.mods.filter((m) => m.kind === 'inputs')) {
      await (m.module as InputModule).run(v, state);
      const missing = fieldsOf(m.module, v).writes.filter((w) => !state.has(w));
      if (missing.length) throw new NunatakError('PLUGIN', `inputs module '${m.name}' declares writes ${missing.join(', ')} but did not create them`);
    }
    this.checkGrid(state);
    if (thk) state.ensure('thk').data.set(thk);
    for (const m of this.processes()) await m.initialize(v, state);
    state.it = 0;
    await this.pass(state, cfg);
    return { state, cfg };
  }

  private processes(): ProcessModule[] {
    return this.mods.filter((m) => m.kind === 'processes').map((m) => m.module as ProcessModule);
  }

  /** One pass of every process, then the thickness check. */
  private async pass(state: SimState, cfg: ResolvedConfig): Promise<void> {
    for (const p of this.processes()) await p.update(cfg.values, state);
    const g = state.grid;
    checkThickness(state.get('thk').data, { nx: g.nx, ny: g.ny, dx: Math.abs(g.dx), dy: g.dy }, { t: state.t, it: state.it, dt: state.dt, x0: g.x0, y0: g.y0 });
    state.it++;
  }

  /** The package's x/y grid must be the experiment's (cell centres, m). */
  private checkGrid(state: SimState): void {
    const g = state.grid;
    const file = `${this.pkg.dir}/metadata.json`;
    const [ny, nx] = gridShape(this.grid);
    if (this.grid.kind !== 'xy') throw new NunatakError('CONFIG', `${file}: a sim package needs an {x, y, crs} grid`);
    if (ny !== g.ny || nx !== g.nx) throw new NunatakError('SHAPE', `${file}: grid is ${ny}×${nx} but experiment ${this.loc.file} makes ${g.ny}×${g.nx}`);
    const [gx, gy] = [gridX(g), gridY(g)];
    for (const [name, a, b] of [['x', this.grid.x, gx], ['y', this.grid.y, gy]] as const) {
      for (let i = 0; i < a.length; i++) {
        if (Math.abs(a[i] - b[i]) > 1e-3) throw new NunatakError('SHAPE', `${file}: grid.${name}[${i}] = ${a[i]} but the experiment's cell centre is ${b[i]} m`);
      }
    }
  }

  /** Steps until the clock lands on `target` (a save time). */
  private async advance(m: Member, cfg: ResolvedConfig, target: number): Promise<void> {
    const s = m.state;
    do {
      if (!s.continueRun) throw new NunatakError('CONFIG', `model ${this.pkg.name}: more than max_steps = ${this.kw.max_steps} steps`, { hint: 'raise entrypoint.kwargs.max_steps' });
      await this.pass(s, cfg);
    } while (!(s.saveresult && s.t >= target - TOL));
  }

  private output(members: Member[]): NdArray {
    const g = members[0].state.grid;
    const n = g.nx * g.ny;
    const out = new Float32Array(members.length * this.outChannels.length * n);
    members.forEach((m, b) => {
      this.outChannels.forEach((c, k) => out.set(m.state.get(c).data, (b * this.outChannels.length + k) * n));
    });
    return { data: out, shape: [members.length, this.outChannels.length, g.ny, g.nx] };
  }

  async *loop(time0: Date | null, x: NdArray | null, restart?: RestartToken): AsyncIterable<LoopItem> {
    let k: number;
    let t0: Date;
    let members: Array<Member & { cfg: ResolvedConfig }>;
    if (restart) {
      const tok = restart as SimToken;
      if (tok.kind !== 'sim' || !Array.isArray(tok.t) || !Array.isArray(tok.thk) || tok.t.length !== tok.thk.length) {
        throw new NunatakError('INPUT', `model ${this.pkg.name}: restart token of kind '${String(tok.kind)}' is not a sim token with t[] and thk[]`);
      }
      k = tok.step;
      t0 = addDuration(new Date(tok.time), this.timeStep, -k);
      members = [];
      for (let b = 0; b < tok.t.length; b++) {
        const { state, cfg } = await this.build(tok.t[b], base64ToF32(tok.thk[b]));
        members.push({ state, cfg, step: tok.t[b] });
      }
    } else {
      if (!time0 || !x) throw new NunatakError('INPUT', `model ${this.pkg.name}: loop needs (time0, x) or a restart token`);
      expectShape(x, [-1, 1, 1, -1, -1], `model ${this.pkg.name}: x`, 'batch, time, channel (thk), y, x');
      const [B, , , ny, nx] = x.shape;
      const n = ny * nx;
      members = [];
      for (let b = 0; b < B; b++) {
        const h = x.data.subarray(b * n, (b + 1) * n);
        const bad = h.findIndex((v) => !(v >= 0) || !Number.isFinite(v));
        if (bad >= 0) throw new NunatakError('INPUT', `model ${this.pkg.name}: initial thk (batch ${b}) is ${h[bad]} at row ${Math.floor(bad / nx)}, column ${bad % nx}; thickness must be finite and ≥ 0 m`);
        const { state, cfg } = await this.build(this.start, Float32Array.from(h));
        members.push({ state, cfg, step: this.start });
      }
      k = 0;
      t0 = time0;
      yield this.item(0, t0, members);
    }
    for (;;) {
      k++;
      for (const m of members) {
        m.step += this.years;
        await this.advance(m, m.cfg, m.step);
      }
      yield this.item(k, t0, members);
    }
  }

  private item(k: number, t0: Date, members: Member[]): LoopItem {
    const time = addDuration(t0, this.timeStep, k);
    const states = members.map((m) => ({ t: m.state.t, thk: Float32Array.from(m.state.get('thk').data) }));
    const restart: SimToken = {
      kind: 'sim',
      step: k,
      time: time.toISOString(),
      t: states.map((s) => s.t),
      get thk() {
        // encoded lazily: most tokens are never serialised
        return states.map((s) => f32ToBase64(s.thk));
      },
    } as SimToken;
    return { step: k, time, y: this.output(members), restart };
  }
}
