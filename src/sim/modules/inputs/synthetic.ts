/**
 * Synthetic beds for experiments and tests (IGM's synthetic input): a flat
 * plane, an inclined valley with a parabolic cross-section, a Gaussian dome
 * (a mountain) or an inclined plane with a Gaussian bump. Writes topg, thk,
 * usurf and icemask (all 1) on an nx × ny grid of `dx` metres, origin (0, 0).
 */
import { NunatakError } from '../../../core/errors.js';
import { makeGrid } from '../../../core/field/grid.js';
import { params, type InputModule, type SimConfig } from '../../contract.js';
import type { SimState } from '../../state.js';

export interface SyntheticParams {
  type: 'flat' | 'valley' | 'dome' | 'bump';
  nx: number;
  ny: number;
  dx: number;
  z0: number;
  slope: number;
  width: number;
  depth: number;
  height: number;
  radius: number;
  thk0: number;
}

/** Bed elevation (m) at x, y (m) on a domain of size lx × ly. */
export function syntheticBed(p: SyntheticParams, x: number, y: number, lx: number, ly: number): number {
  const yc = ly / 2;
  switch (p.type) {
    case 'flat':
      return p.z0;
    case 'valley': {
      const s = (y - yc) / p.width;
      return p.z0 - p.slope * x - p.depth + p.depth * s * s;
    }
    case 'dome': {
      const r2 = (x - lx / 2) ** 2 + (y - yc) ** 2;
      return p.z0 + p.height * Math.exp(-r2 / (2 * p.radius * p.radius));
    }
    case 'bump': {
      const r2 = (x - lx / 2) ** 2 + (y - yc) ** 2;
      return p.z0 - p.slope * x + p.height * Math.exp(-r2 / (2 * p.radius * p.radius));
    }
  }
}

export const fields = { writes: ['topg', 'thk', 'usurf', 'icemask'] };

export function run(cfg: SimConfig, state: SimState): void {
  const p = params<SyntheticParams>(cfg, 'inputs', 'synthetic');
  if (!(p.dx > 0)) throw new NunatakError('CONFIG', `inputs.synthetic.dx must be > 0 m, got ${p.dx}`);
  if (p.nx < 3 || p.ny < 3) throw new NunatakError('CONFIG', `inputs.synthetic: grid ${p.ny}×${p.nx} is too small`, { hint: 'nx and ny must be ≥ 3' });
  if (p.thk0 < 0) throw new NunatakError('CONFIG', `inputs.synthetic.thk0 must be ≥ 0 m, got ${p.thk0}`);
  state.setGrid(makeGrid({ nx: p.nx, ny: p.ny, x0: 0, y0: 0, dx: p.dx, dy: p.dx }));
  const topg = state.ensure('topg');
  const thk = state.ensure('thk');
  const usurf = state.ensure('usurf');
  const mask = state.ensure('icemask');
  const lx = (p.nx - 1) * p.dx;
  const ly = (p.ny - 1) * p.dx;
  for (let j = 0; j < p.ny; j++) {
    for (let i = 0; i < p.nx; i++) {
      const k = j * p.nx + i;
      topg.data[k] = syntheticBed(p, i * p.dx, j * p.dx, lx, ly);
      thk.data[k] = p.thk0;
      usurf.data[k] = topg.data[k] + p.thk0;
      mask.data[k] = 1;
    }
  }
}

const synthetic: InputModule = { run, fields };
export default synthetic;
