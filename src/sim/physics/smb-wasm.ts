/** {@link smbSimple} on the AssemblyScript kernel (glacier.smbSimple): same signature and arithmetic. */
import { smbSimple, type SmbParams } from './smb-simple.js';
import { runRows, Staging } from './wasm-runtime.js';

/** Drop-in for {@link smbSimple}: smb (m ice eq. a⁻¹) from usurf (m); 1-D arrays of any shape. */
export function smbSimpleWasm(usurf: Float32Array, p: SmbParams, smb: Float32Array, thk?: Float32Array, icemask?: Float32Array): void {
  const n = usurf.length;
  if (smb.length !== n || (thk !== undefined && thk.length !== n) || (icemask !== undefined && icemask.length !== n)) {
    return smbSimple(usurf, p, smb, thk, icemask); // same semantics (index by usurf) for mismatched inputs
  }
  const s = new Staging();
  let ok = false;
  try {
    // one "row" of n cells keeps the ABI; bands of rows of 4096 when threaded
    const w = 4096;
    const rows = Math.floor(n / w);
    const pu = s.ptr(usurf);
    const pt = s.ptr(thk);
    const pm = s.ptr(icemask);
    const ps = s.ptr(smb, true, false);
    const args = (a: number) => [pu + a, pt ? pt + a : 0, pm ? pm + a : 0, ps + a];
    if (rows > 0) runRows('smbSimple', rows, n, [...args(0), w, p.gradabl, p.gradacc, p.ela, p.accmax]);
    const rest = n - rows * w;
    if (rest > 0) runRows('smbSimple', 1, 0, [...args(rows * w * 4), rest, p.gradabl, p.gradacc, p.ela, p.accmax]);
    ok = true;
  } finally {
    s.finish(ok);
  }
}
