/** {@link smbTi} on the AssemblyScript kernel (smb_ti.smbTi): same signature and arithmetic. */
import { kernelFn } from '../../kernels/loader.js';
import { kernelRuntime } from '../../kernels/runtime.js';
import { smbTi, tiScale, DAYS_PER_MONTH, type ClimateBlock, type TiParams } from './smb-ti.js';
import { Staging } from './wasm-runtime.js';

/** Drop-in for {@link smbTi}: smb (m ice eq. a⁻¹) from z (m), one fused pass over cells × months. */
export function smbTiWasm(z: Float32Array, c: ClimateBlock, p: TiParams, smb: Float32Array, thk?: Float32Array, icemask?: Float32Array, scale = tiScale(c.temp.length)): void {
  const n = z.length;
  const nm = c.temp.length;
  if (smb.length !== n || c.prcp.length !== nm || (thk !== undefined && thk.length !== n) || (icemask !== undefined && icemask.length !== n)) {
    return smbTi(z, c, p, smb, thk, icemask, scale); // same semantics (index by z) for mismatched inputs
  }
  const clim = new Float32Array(2 * nm);
  clim.set(Float32Array.from(c.temp), 0);
  clim.set(Float32Array.from(c.prcp), nm);
  const s = new Staging();
  let ok = false;
  try {
    // one row of n cells: the pass is cheap next to the ice flow, no bands needed
    const fn = kernelFn(kernelRuntime().module('smb_ti'), 'smbTi');
    fn(0, 1, s.ptr(z), s.ptr(thk), s.ptr(icemask), s.ptr(clim), s.ptr(smb, true, false), n, nm,
      c.refHgt, p.lapse, p.tempBias, p.prcpFac, p.meltF, p.tSolid, p.tLiq, p.tMelt, DAYS_PER_MONTH, scale);
    ok = true;
  } finally {
    s.finish(ok);
  }
}
