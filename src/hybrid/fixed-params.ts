/**
 * A process model run with fixed physical parameters and no network: one
 * parameter set per basin (or a `default` row for all), given inline in the
 * config or as a CSV table, e.g. classic per-basin calibration results
 * (`nunatak hybrid simulate` with `model.nn.model: none`). The batch's
 * one-hot basin ids (as for the `calibration` NN) pick each basin's row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tf } from '../core/tensor/index.js';
import { NunatakError, didYouMean } from '../core/errors.js';
import { processModelOf } from './build.js';
import { ROUTING_BOUNDS } from './hbv/params.js';
import type { HydroModel } from './hydro-model.js';
import type { MapperSpec } from './mapper.js';
import { runMapped, type Batch, type ModelOptions } from './model.js';
import type { ProcessModel } from './process.js';
import type { HybridConfig } from './train/config.js';
import type { UserComponents } from './user-components.js';

/** Per-basin parameter rows: basin id (or 'default') → parameter name → value in physical units. */
export type ParameterTable = Record<string, Record<string, number>>;

/** Parse a CSV parameter table: header `basin,<name>,…`, one row per basin id (or `default`). */
export function readParameterCsv(file: string): ParameterTable {
  if (!existsSync(file)) throw new NunatakError('NOT_FOUND', `model.phy.parameters: ${file} does not exist`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const head = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (head[0] !== 'basin') throw new NunatakError('INPUT', `${file}: the first column must be 'basin', got '${head[0] ?? ''}'`, { hint: 'header: basin,BETA,FC,…,rout_a,rout_b' });
  const table: ParameterTable = {};
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== head.length) throw new NunatakError('INPUT', `${file}:${r + 2}: ${cells.length} values, the header has ${head.length}`);
    table[cells[0]] = Object.fromEntries(head.slice(1).map((h, k) => {
      const v = Number(cells[k + 1]);
      if (cells[k + 1] === '' || !Number.isFinite(v)) throw new NunatakError('INPUT', `${file}:${r + 2}: ${h} = '${cells[k + 1]}' is not a number`);
      return [h, v];
    }));
  });
  return table;
}

/** The [nbAll, np] parameters and [nbAll, 2] routing of `ids`, checked against names and bounds. */
function resolveTable(table: ParameterTable, ids: string[], phy: ProcessModel, routing: boolean, where: string): { params: Float32Array; rout: Float32Array } {
  const names = phy.paramNames;
  const want = [...names, ...(routing ? ['rout_a', 'rout_b'] : [])];
  const bounds = { ...phy.bounds, ...ROUTING_BOUNDS };
  const params = new Float32Array(ids.length * names.length);
  const rout = new Float32Array(ids.length * 2);
  ids.forEach((id, b) => {
    const row = table[id] ?? table.default;
    if (!row) throw new NunatakError('CONFIG', `${where}: no parameters for basin ${id}`, { hint: `add a row for ${id} or a 'default' row` });
    const label = table[id] ? `basin ${id}` : 'the default row';
    for (const k of Object.keys(row)) {
      if (!want.includes(k)) throw new NunatakError('CONFIG', `${where}: ${label} sets '${k}', which ${phy.name}${routing ? ' with routing' : ''} does not have${didYouMean(k, want)}`, { hint: `parameters: ${want.join(', ')}` });
    }
    want.forEach((n, k) => {
      const v = row[n];
      const bd = bounds[n];
      if (v === undefined) throw new NunatakError('CONFIG', `${where}: ${label} has no value for ${n}`, { hint: `every basin needs ${want.join(', ')}` });
      if (!(v >= bd.lo && v <= bd.hi)) throw new NunatakError('CONFIG', `${where}: ${label}: ${n} = ${v} is outside its bounds [${bd.lo}, ${bd.hi}] ${bd.unit ?? ''}`);
      if (k < names.length) params[b * names.length + k] = v;
      else rout[b * 2 + k - names.length] = v;
    });
  });
  return { params, rout };
}

/** A process model (HBV or the user's) with fixed per-basin parameters; `ids` are the basins of the dataset in order. */
export class FixedParamsModel implements HydroModel {
  readonly variables = new Map<string, tf.Variable>();
  private readonly params: Float32Array;
  private readonly rout: Float32Array;
  private readonly spec: MapperSpec;

  constructor(private readonly phy: ProcessModel, private readonly opts: ModelOptions, table: ParameterTable, private readonly ids: string[], where: string) {
    if (phy.dynamic.length > 0) throw new NunatakError('CONFIG', `${where}: fixed parameters cannot be dynamic (dynamic_params: ${phy.dynamic.join(', ')})`, { hint: 'set model.phy.dynamic_params: []' });
    ({ params: this.params, rout: this.rout } = resolveTable(table, ids, phy, opts.routing, where));
    this.spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: [], nm: opts.nmul, routing: opts.routing };
  }

  forward(b: Batch): { Q: tf.Tensor2D } {
    const nb = b.forcing.nb;
    const np = this.phy.paramNames.length;
    const nm = this.opts.nmul;
    const onehot = b.c.dataSync();
    const nAll = this.ids.length;
    if (b.c.shape[1] !== nAll) throw new NunatakError('SHAPE', `fixed parameters: expected one-hot basin ids of width ${nAll}, got ${b.c.shape[1]}`);
    const p = new Float32Array(nb * np * nm);
    const r = new Float32Array(nb * 2);
    for (let j = 0; j < nb; j++) {
      let basin = -1;
      for (let k = 0; k < nAll; k++) if (onehot[j * nAll + k] === 1) basin = k;
      for (let i = 0; i < np; i++) p.fill(this.params[basin * np + i], (j * np + i) * nm, (j * np + i + 1) * nm);
      r[j * 2] = this.rout[basin * 2];
      r[j * 2 + 1] = this.rout[basin * 2 + 1];
    }
    return tf.tidy(() => {
      const params = tf.tensor3d(p, [nb, np, nm]);
      const Q = runMapped(this.phy, this.spec, this.opts, b, { params, warmParams: params, rout: this.opts.routing ? tf.tensor2d(r, [nb, 2]) : undefined });
      return { Q };
    });
  }
}

/** The fixed-parameter model a config with `model.nn.model: none` describes, for the basins `ids` (`user`: the config's loaded user files). */
export function fixedParamsModel(cfg: HybridConfig, ids: string[], user: UserComponents = {}): FixedParamsModel {
  const m = cfg.model;
  if (m.phy.model === 'none') throw new NunatakError('CONFIG', 'model.nn.model none runs a process model with fixed parameters, but model.phy.model is none too');
  const src = m.phy.parameters;
  if (src === undefined) throw new NunatakError('CONFIG', 'model.nn.model none needs model.phy.parameters: a CSV file (basin,BETA,FC,…) or a mapping {basin id or default: {BETA: …}}');
  const table = typeof src === 'string' ? readParameterCsv(src) : src;
  const where = typeof src === 'string' ? src : 'model.phy.parameters';
  return new FixedParamsModel(processModelOf(cfg, user), { nmul: m.phy.nmul, warmUp: m.warm_up, warmUpStates: m.warm_up_states, routing: m.phy.routing }, table, ids, where);
}
