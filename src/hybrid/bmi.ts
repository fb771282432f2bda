/**
 * CSDMS Basic Model Interface for a trained δHBV model. The NN runs once over
 * the whole forcing period at `initialize` (LSTM-friendly, as dHBV 2.0's BMI
 * does); `update` then steps the HBV kernel one day per basin and routes
 * through a 15-day unit-hydrograph buffer, so stepping reproduces the
 * whole-period run. One value per basin (grid 0: 'scalar' for one basin,
 * else 'points').
 *
 * BMI YAML: { config: <hybrid config.yaml>, start: YYYY-MM-DD, end: YYYY-MM-DD, epoch?: N }.
 * `start` is the first simulated day; the forcing of the `warm_up` days before it is read too.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, join } from 'node:path';
import { parse } from 'yaml';
import { tf, ready } from '../core/tensor/index.js';
import { NunatakError, didYouMean } from '../core/errors.js';
import { buildModel } from './build.js';
import { makeBatch, normaliseInputs } from './data/dataset.js';
import { loadStats } from './data/normalize.js';
import { hbvForward, initialState, type HbvState } from './hbv/kernel.js';
import { HbvModel } from './hbv/model.js';
import { mapParameters } from './mapper.js';
import { DifferentiableModel } from './model.js';
import { gammaUhWeights } from './routing.js';
import { loadCheckpoint, restoreWeights } from './train/checkpoint.js';
import { loadConfig, type HybridConfig } from './train/config.js';
import { daysBefore, loadDataset } from './train/data-setup.js';
import { loadUserComponents } from './user-components.js';

const VARS = {
  'atmosphere_water__liquid_equivalent_precipitation_rate': { units: 'mm d-1', role: 'in' },
  'land_surface_air__temperature': { units: 'degC', role: 'in' },
  'land_surface_water__potential_evaporation_volume_flux': { units: 'mm d-1', role: 'in' },
  'land_surface_water__runoff_depth_rate': { units: 'mm d-1', role: 'out' },
  'land_surface_water__runoff_volume_flux': { units: 'm3 s-1', role: 'out' },
} as const;
type VarName = keyof typeof VARS;

export class DeltaHbvBmi {
  private cfg!: HybridConfig;
  private nb = 0;
  private nm = 0;
  private nSteps = 0;
  private step = 0;
  private ids: string[] = [];
  private areaM2!: Float64Array;
  private P!: Float32Array;
  private T!: Float32Array;
  private PET!: Float32Array;
  private params!: Float32Array; // [nb, np, nm]
  private dyn?: Float32Array; // [nSteps, nb, nd, nm]
  private dynIndex: number[] = [];
  private hbv!: HbvModel;
  private state!: HbvState;
  private w!: Float32Array; // UH weights [nb, lenF] (ones at k=0 without routing)
  private lenF = 15;
  private hist!: Float64Array; // last lenF unrouted flows [lenF, nb], newest first
  private qOut!: Float64Array; // routed flow mm/d [nb]

  async initialize(configFile: string): Promise<void> {
    if (!existsSync(configFile)) throw new NunatakError('NOT_FOUND', `BMI config ${configFile} does not exist`);
    const raw = parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    const known = ['config', 'start', 'end', 'epoch'];
    for (const k of Object.keys(raw ?? {})) if (!known.includes(k)) throw new NunatakError('CONFIG', `${configFile}: unknown key '${k}'${didYouMean(k, known)}`);
    for (const k of ['config', 'start', 'end']) if (typeof raw[k] !== 'string') throw new NunatakError('CONFIG', `${configFile}: '${k}' is required (a string)`);
    this.cfg = loadConfig(resolve(dirname(resolve(configFile)), raw.config as string));
    await ready(this.cfg.backend);
    const W = this.cfg.model.warm_up;
    const ds = loadDataset(this.cfg, daysBefore(raw.start as string, W), raw.end as string);
    const stats = loadStats(join(this.cfg.save_path, 'normalization_statistics.json'));
    const ni = normaliseInputs(ds, stats, this.cfg.data.log_norm);
    if (this.cfg.model.nn.model === 'calibration') {
      ni.c = new Float32Array(ds.nb * ds.nb);
      for (let b = 0; b < ds.nb; b++) ni.c[b * ds.nb + b] = 1;
    }
    const model = buildModel(this.cfg, 3, ni.c.length / ds.nb, await loadUserComponents({ ...this.cfg, train: undefined }));
    if (!(model instanceof DifferentiableModel) || !(model.phy instanceof HbvModel)) {
      throw new NunatakError('CONFIG', 'the BMI needs an NN-parameterised HBV model (model.phy.model hbv*)');
    }
    restoreWeights(loadCheckpoint(this.cfg.save_path, raw.epoch as number | undefined), model.variables);
    const nb = (this.nb = ds.nb);
    this.ids = ds.ids;
    this.areaM2 = Float64Array.from(ds.area, (a) => a * 1e6);
    this.hbv = model.phy;
    this.dynIndex = model.phy.dynIndex;
    const nm = (this.nm = this.cfg.model.phy.nmul);
    const { batch } = makeBatch(ds, ni, Array.from({ length: nb }, (_, b) => b), 0, ds.nt);
    const warmStates = this.cfg.model.warm_up_states && W > 0;
    const mapped = tf.tidy(() => {
      const m = mapParameters(model.nn.forward(batch.x, batch.c, false), model.spec, warmStates ? W : 0);
      const np = model.spec.names.length;
      const w = m.rout ? gammaUhWeights(tf.slice(m.rout, [0, 0], [nb, 1]).reshape([-1]) as tf.Tensor1D, tf.slice(m.rout, [0, 1], [nb, 1]).reshape([-1]) as tf.Tensor1D) : tf.oneHot(tf.zeros([nb], 'int32'), 15);
      return {
        params: m.params.dataSync() as Float32Array,
        warm: m.warmParams?.dataSync() as Float32Array | undefined,
        dyn: m.dyn?.dataSync() as Float32Array | undefined,
        w: w.dataSync() as Float32Array,
        np,
      };
    });
    this.params = mapped.params;
    this.w = mapped.w;
    const nd = this.dynIndex.length;
    const sub = (a: Float32Array, t0: number, t1: number) => a.slice(t0 * nb, t1 * nb);
    const dynSlice = (t0: number, t1: number) => (mapped.dyn ? mapped.dyn.slice(t0 * nb * nd * nm, t1 * nb * nd * nm) : undefined);
    this.hist = new Float64Array(this.lenF * nb);
    this.qOut = new Float64Array(nb);
    let first = 0;
    if (warmStates) {
      this.state = hbvForward({ nt: W, nb, nm, np: mapped.np, P: sub(ds.P, 0, W), T: sub(ds.T, 0, W), PET: sub(ds.PET, 0, W), params: mapped.warm!, dynIndex: this.dynIndex, dyn: dynSlice(0, W), area: ds.area }, this.hbv.flags).final;
      first = W;
    } else {
      this.state = initialState(nb, nm);
    }
    // forcing and dynamic parameters from `first` on; without warm-up states the warm-up days are stepped (and routed) silently
    this.P = sub(ds.P, first, ds.nt);
    this.T = sub(ds.T, first, ds.nt);
    this.PET = sub(ds.PET, first, ds.nt);
    this.dyn = dynSlice(first, ds.nt);
    this.nSteps = ds.nt - W;
    this.step = 0;
    this.offset = W - first;
    for (let i = 0; i < this.offset; i++) this.advance(i);
    tf.dispose([batch.x, batch.c]);
  }

  private offset = 0;

  /** Step the HBV kernel one day (row `i` of the stored forcing) and route. */
  private advance(i: number): void {
    const nb = this.nb, nm = this.nm, nd = this.dynIndex.length;
    const out = hbvForward(
      {
        nt: 1, nb, nm, np: this.hbv.paramNames.length,
        P: this.P.subarray(i * nb, (i + 1) * nb), T: this.T.subarray(i * nb, (i + 1) * nb), PET: this.PET.subarray(i * nb, (i + 1) * nb),
        params: this.params, dynIndex: this.dynIndex, dyn: this.dyn?.subarray(i * nb * nd * nm, (i + 1) * nb * nd * nm),
        area: Float32Array.from(this.areaM2, (a) => a / 1e6), init: this.state,
      },
      this.hbv.flags,
    );
    this.state = out.final;
    this.hist.copyWithin(nb, 0, (this.lenF - 1) * nb);
    this.hist.set(out.Q, 0);
    for (let b = 0; b < nb; b++) {
      let s = 0;
      for (let k = 0; k < this.lenF; k++) s += this.w[b * this.lenF + k] * this.hist[k * nb + b];
      this.qOut[b] = s;
    }
  }

  update(): void {
    if (this.step >= this.nSteps) throw new NunatakError('INPUT', `update past the end time (${this.nSteps} steps)`);
    this.advance(this.offset + this.step);
    this.step++;
  }

  /** Advance to model time `t` (s); t must be a whole number of days ahead. */
  updateUntil(t: number): void {
    const n = Math.round((t - this.getCurrentTime()) / 86400);
    if (Math.abs(t - this.getCurrentTime() - n * 86400) > 1e-6) throw new NunatakError('INPUT', `update_until(${t}): not a whole number of 86400 s steps from ${this.getCurrentTime()}`);
    for (let i = 0; i < n; i++) this.update();
  }

  finalize(): void {
    this.hist = new Float64Array(0);
    this.nSteps = 0;
  }

  getComponentName(): string {
    return `δ${this.cfg.model.phy.model.toUpperCase()} (nunatak)`;
  }
  getInputVarNames(): string[] {
    return (Object.keys(VARS) as VarName[]).filter((k) => VARS[k].role === 'in');
  }
  getOutputVarNames(): string[] {
    return (Object.keys(VARS) as VarName[]).filter((k) => VARS[k].role === 'out');
  }
  getInputItemCount(): number {
    return this.getInputVarNames().length;
  }
  getOutputItemCount(): number {
    return this.getOutputVarNames().length;
  }
  private check(name: string): VarName {
    if (!(name in VARS)) throw new NunatakError('NOT_FOUND', `BMI variable '${name}' does not exist${didYouMean(name, Object.keys(VARS))}`);
    return name as VarName;
  }
  getVarUnits(name: string): string {
    return VARS[this.check(name)].units;
  }
  getVarType(name: string): string {
    this.check(name);
    return 'float64';
  }
  getVarItemsize(name: string): number {
    this.check(name);
    return 8;
  }
  getVarNbytes(name: string): number {
    return 8 * this.nb * (this.check(name) ? 1 : 0);
  }
  getVarGrid(name: string): number {
    this.check(name);
    return 0;
  }
  getVarLocation(name: string): string {
    this.check(name);
    return 'node';
  }
  getStartTime(): number {
    return 0;
  }
  getEndTime(): number {
    return this.nSteps * 86400;
  }
  getCurrentTime(): number {
    return this.step * 86400;
  }
  getTimeStep(): number {
    return 86400;
  }
  getTimeUnits(): string {
    return 's';
  }
  getGridType(_grid: number): string {
    return this.nb === 1 ? 'scalar' : 'points';
  }
  getGridRank(_grid: number): number {
    return this.nb === 1 ? 0 : 1;
  }
  getGridSize(_grid: number): number {
    return this.nb;
  }
  /** Basin ids in grid order. */
  getBasinIds(): string[] {
    return [...this.ids];
  }

  /** Copy a variable (one value per basin) into `dest`. Inputs give the forcing of the next step. */
  getValue(name: string, dest: Float64Array = new Float64Array(this.nb)): Float64Array {
    const v = this.check(name);
    const nb = this.nb;
    const row = (this.offset + Math.min(this.step, this.nSteps - 1)) * nb;
    for (let b = 0; b < nb; b++) {
      switch (v) {
        case 'land_surface_water__runoff_depth_rate':
          dest[b] = this.qOut[b];
          break;
        case 'land_surface_water__runoff_volume_flux':
          dest[b] = (this.qOut[b] / 1000) * this.areaM2[b] / 86400;
          break;
        case 'atmosphere_water__liquid_equivalent_precipitation_rate':
          dest[b] = this.P[row + b];
          break;
        case 'land_surface_air__temperature':
          dest[b] = this.T[row + b];
          break;
        case 'land_surface_water__potential_evaporation_volume_flux':
          dest[b] = this.PET[row + b];
          break;
      }
    }
    return dest;
  }

  /** Set an input for the next `update` (one value per basin). Outputs cannot be set. */
  setValue(name: string, src: ArrayLike<number>): void {
    const v = this.check(name);
    if (VARS[v].role !== 'in') throw new NunatakError('INPUT', `BMI variable '${name}' is an output and cannot be set`);
    if (src.length !== this.nb) throw new NunatakError('SHAPE', `set_value('${name}') needs ${this.nb} values (one per basin), got ${src.length}`);
    const row = (this.offset + this.step) * this.nb;
    const arr = v === 'atmosphere_water__liquid_equivalent_precipitation_rate' ? this.P : v === 'land_surface_air__temperature' ? this.T : this.PET;
    for (let b = 0; b < this.nb; b++) {
      if (v === 'atmosphere_water__liquid_equivalent_precipitation_rate' && !(src[b] >= 0)) throw new NunatakError('INPUT', `precipitation must be ≥ 0, got ${src[b]} for basin ${this.ids[b]}`);
      arr[row + b] = src[b];
    }
  }
}
