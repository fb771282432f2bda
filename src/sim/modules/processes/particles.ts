/**
 * Lagrangian tracers (IGM `particles`, 2-D): seeded on a regular sub-grid of
 * the accumulation zone (smb > 0 and thk > min_thk) every `frequency` years,
 * advected with the bilinearly interpolated ice velocity (forward Euler,
 * x ← x + dt·u(x)), dropped when they leave the grid or the ice, and
 * written at each save: `trajectories/traj-<t>.csv` with
 * `id,x,y,z,thk,t_seed` (x, y in the grid's CRS metres, z = surface
 * elevation m, t_seed in a), or the same variables along a `particle`
 * dimension in `trajectories/traj-<t>.nc`.
 *
 * The module is an object whose methods call each other through `this`, so
 * a user module can replace one of them (`{...particles, seed: mySeed}`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNetcdf } from '../../../io/netcdf/index.js';
import { params, type ProcessModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface ParticlesParams {
  seeding: { frequency: number; density: number; min_thk: number };
  velocity: 'surface' | 'bar';
  remove_below_thk: number;
  format: 'csv' | 'netcdf';
}

/** Particle arrays (positions in m, grid CRS). */
export interface Particles {
  id: Int32Array;
  x: Float64Array;
  y: Float64Array;
  tSeed: Float64Array;
  count: number;
  nextId: number;
  tLastSeed: number;
}

/** New seeds: positions (m) in the grid's coordinates. */
export interface Seeds {
  x: number[];
  y: number[];
}

/** Bilinear interpolation of a cell-centred field at (x, y) in m; NaN outside the grid. */
export function bilinear(state: SimState, data: Float32Array, x: number, y: number): number {
  const g = state.grid;
  const fi = (x - g.x0) / g.dx;
  const fj = (y - g.y0) / g.dy;
  if (!(fi >= 0 && fj >= 0 && fi <= g.nx - 1 && fj <= g.ny - 1)) return NaN;
  const i = Math.min(Math.floor(fi), g.nx - 2);
  const j = Math.min(Math.floor(fj), g.ny - 2);
  const a = fi - i;
  const b = fj - j;
  const k = j * g.nx + i;
  return (1 - a) * (1 - b) * data[k] + a * (1 - b) * data[k + 1] + (1 - a) * b * data[k + g.nx] + a * b * data[k + g.nx + 1];
}

function grow(p: Particles, n: number): void {
  if (p.count + n <= p.id.length) return;
  const cap = Math.max(2 * p.id.length, p.count + n, 64);
  const re = <T extends Int32Array | Float64Array>(a: T, C: new (n: number) => T): T => {
    const b = new C(cap);
    b.set(a.subarray(0, p.count));
    return b;
  };
  p.id = re(p.id, Int32Array);
  p.x = re(p.x, Float64Array);
  p.y = re(p.y, Float64Array);
  p.tSeed = re(p.tSeed, Float64Array);
}

export interface ParticlesModule extends ProcessModule {
  /** Where to seed now (default: accumulation zone on a sub-grid). */
  seed(cfg: SimConfig, state: SimState): Seeds;
  /** Moves the particles one step and drops the lost ones. */
  advect(cfg: SimConfig, state: SimState, p: Particles): void;
  /** Writes the particles at a save time. */
  write(cfg: SimConfig, state: SimState, p: Particles): void | Promise<void>;
}

export const particles: ParticlesModule = {
  fields: { reads: ['thk', 'smb', 'usurf'], optional: ['uvelsurf', 'vvelsurf', 'ubar', 'vbar'], writes: [] },

  initialize(_cfg, state) {
    state.extra.particles = {
      id: new Int32Array(0), x: new Float64Array(0), y: new Float64Array(0), tSeed: new Float64Array(0), count: 0, nextId: 0, tLastSeed: -Infinity,
    } satisfies Particles;
    mkdirSync(join(state.outDir, 'trajectories'), { recursive: true });
  },

  seed(cfg, state) {
    const p = params<ParticlesParams>(cfg, 'processes', 'particles');
    const g = state.grid;
    const step = Math.max(1, Math.round(1 / p.seeding.density));
    const thk = state.get('thk').data;
    const smb = state.get('smb').data;
    const out: Seeds = { x: [], y: [] };
    for (let j = 0; j < g.ny; j += step) {
      for (let i = 0; i < g.nx; i += step) {
        const k = j * g.nx + i;
        if (thk[k] > p.seeding.min_thk && smb[k] > 0) {
          out.x.push(g.x0 + i * g.dx);
          out.y.push(g.y0 + j * g.dy);
        }
      }
    }
    return out;
  },

  advect(cfg, state, pt) {
    const p = params<ParticlesParams>(cfg, 'processes', 'particles');
    const surf = p.velocity === 'surface' && state.has('uvelsurf');
    const u = state.get(surf ? 'uvelsurf' : 'ubar').data;
    const v = state.get(surf ? 'vvelsurf' : 'vbar').data;
    const thk = state.get('thk').data;
    let keep = 0;
    for (let k = 0; k < pt.count; k++) {
      const uu = bilinear(state, u, pt.x[k], pt.y[k]);
      const vv = bilinear(state, v, pt.x[k], pt.y[k]);
      const x = pt.x[k] + state.dt * uu;
      const y = pt.y[k] + state.dt * vv;
      const h = bilinear(state, thk, x, y);
      if (!(h > p.remove_below_thk)) continue; // left the grid (NaN) or the ice
      pt.id[keep] = pt.id[k];
      pt.x[keep] = x;
      pt.y[keep] = y;
      pt.tSeed[keep] = pt.tSeed[k];
      keep++;
    }
    pt.count = keep;
  },

  async write(cfg, state, pt) {
    const usurf = state.get('usurf').data;
    const thk = state.get('thk').data;
    if (params<ParticlesParams>(cfg, 'processes', 'particles').format === 'netcdf') {
      if (pt.count === 0) return;
      const n = pt.count;
      const z = new Float64Array(n);
      const h = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        z[k] = bilinear(state, usurf, pt.x[k], pt.y[k]);
        h[k] = bilinear(state, thk, pt.x[k], pt.y[k]);
      }
      const v = (name: string, units: string, longName: string, dtype: 'int32' | 'float64' = 'float64') => ({ name, dims: ['particle'], units, longName, dtype, fillValue: null });
      const w = await createNetcdf(join(state.outDir, 'trajectories', `traj-${state.t}.nc`), {
        dims: [{ name: 'particle', size: n }],
        variables: [v('id', '1', 'particle id', 'int32'), v('x', 'm', 'x position'), v('y', 'm', 'y position'), v('z', 'm', 'surface elevation at the particle'), v('thk', 'm', 'ice thickness at the particle'), v('t_seed', 'a', 'seeding time')],
        attrs: { time: state.t, crs: state.grid.crs ?? '' },
        overwrite: true,
      });
      w.write('id', pt.id.subarray(0, n));
      w.write('x', pt.x.subarray(0, n));
      w.write('y', pt.y.subarray(0, n));
      w.write('z', z);
      w.write('thk', h);
      w.write('t_seed', pt.tSeed.subarray(0, n));
      return;
    }
    const lines = ['id,x,y,z,thk,t_seed'];
    for (let k = 0; k < pt.count; k++) {
      const z = bilinear(state, usurf, pt.x[k], pt.y[k]);
      const h = bilinear(state, thk, pt.x[k], pt.y[k]);
      lines.push(`${pt.id[k]},${pt.x[k].toFixed(2)},${pt.y[k].toFixed(2)},${z.toFixed(2)},${h.toFixed(2)},${pt.tSeed[k]}`);
    }
    writeFileSync(join(state.outDir, 'trajectories', `traj-${state.t}.csv`), lines.join('\n') + '\n');
  },

  async update(cfg, state) {
    const p = params<ParticlesParams>(cfg, 'processes', 'particles');
    const pt = state.extra.particles as Particles;
    if (state.dt > 0) this.advect(cfg, state, pt);
    if (state.t - pt.tLastSeed >= p.seeding.frequency) {
      const s = this.seed(cfg, state);
      grow(pt, s.x.length);
      for (let k = 0; k < s.x.length; k++) {
        const n = pt.count++;
        pt.id[n] = pt.nextId++;
        pt.x[n] = s.x[k];
        pt.y[n] = s.y[k];
        pt.tSeed[n] = state.t;
      }
      pt.tLastSeed = state.t;
    }
    if (state.saveresult) await this.write(cfg, state, pt);
  },

  finalize() {},
};

export default particles;
