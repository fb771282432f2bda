/**
 * 2-D diagnostics of a Blatter–Pattyn velocity field, as IGM 2.x
 * `update_2d_iceflow_variables`: depth averages with IGM's weights, surface
 * and basal velocities, magnitudes. Entries that are not free read as 0.
 */
import { NunatakError } from '../../../core/errors.js';
import type { BPGeometry } from './geometry.js';
import type { BPSettings } from './settings.js';
import { bpDepthWeights } from './vertical.js';

/** Velocity diagnostics (m a⁻¹), each ny·nx. */
export interface BPDerived {
  ubar: Float32Array;
  vbar: Float32Array;
  uvelsurf: Float32Array;
  vvelsurf: Float32Array;
  uvelbase: Float32Array;
  vvelbase: Float32Array;
  velbar_mag: Float32Array;
  velsurf_mag: Float32Array;
}

/** Depth averages and surface/base fields of U, V ([k][j][i], m a⁻¹). */
export function bpDerived(U: Float32Array, V: Float32Array, geom: BPGeometry, settings: BPSettings): BPDerived {
  const nc = geom.nx * geom.ny;
  const Nz = settings.Nz;
  for (const [name, a] of [['U', U], ['V', V]] as const) {
    if (!(a instanceof Float32Array) || a.length !== Nz * nc) {
      throw new NunatakError('SHAPE', `bpDerived: '${name}' must be a Float32Array of Nz·ny·nx = ${Nz * nc} values`, { hint: 'layout [k][j][i], k = 0 at the bed' });
    }
  }
  const w = bpDepthWeights(Nz, settings.vert_spacing, settings.exp_glen);
  const mk = () => new Float32Array(nc);
  const out: BPDerived = { ubar: mk(), vbar: mk(), uvelsurf: mk(), vvelsurf: mk(), uvelbase: mk(), vvelbase: mk(), velbar_mag: mk(), velsurf_mag: mk() };
  const top = (Nz - 1) * nc;
  for (let c = 0; c < nc; c++) {
    if (!(geom.thk[c] > 0)) continue;
    let ub = 0, vb = 0;
    for (let k = settings.no_slip ? 1 : 0; k < Nz; k++) {
      ub += w[k] * U[k * nc + c];
      vb += w[k] * V[k * nc + c];
    }
    out.ubar[c] = ub;
    out.vbar[c] = vb;
    out.velbar_mag[c] = Math.hypot(ub, vb);
    out.uvelsurf[c] = U[top + c];
    out.vvelsurf[c] = V[top + c];
    out.velsurf_mag[c] = Math.hypot(U[top + c], V[top + c]);
    if (!settings.no_slip) {
      out.uvelbase[c] = U[c];
      out.vvelbase[c] = V[c];
    }
  }
  return out;
}
