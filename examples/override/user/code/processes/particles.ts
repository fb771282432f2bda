/**
 * Overrides the built-in `particles` process by name: everything is the
 * built-in's (defaults, advection, writing), except the seeding, which puts
 * one particle on every ice cell of the valley's centre line that has
 * positive SMB — a flow-line of tracers instead of IGM's areal seeding.
 * The built-in calls `this.seed(...)`, so replacing that one method is enough.
 */
import { particles } from 'nunatak/sim/modules/processes/particles.ts';
import type { Seeds } from 'nunatak/sim/modules/processes/particles.ts';
import type { SimConfig } from 'nunatak/sim/contract.ts';
import type { SimState } from 'nunatak/sim/state.ts';

function seed(_cfg: SimConfig, state: SimState): Seeds {
  const g = state.grid;
  const j = Math.floor(g.ny / 2); // centre row
  const thk = state.get('thk').data;
  const smb = state.get('smb').data;
  const out: Seeds = { x: [], y: [] };
  for (let i = 0; i < g.nx; i++) {
    const k = j * g.nx + i;
    if (thk[k] > 1 && smb[k] > 0) {
      out.x.push(g.x0 + i * g.dx);
      out.y.push(g.y0 + j * g.dy);
    }
  }
  return out;
}

export default { ...particles, seed };
