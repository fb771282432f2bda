// Monthly temperature-index surface mass balance (OGGM's MonthlyTIModel, IGM's
// clim_oggm + smb_oggm fused into one pass): for each cell, every month of the
// climate block, lapse-rate the reference-height temperature to the cell's
// elevation, split precipitation into solid / liquid, subtract melt above the
// melt threshold, sum, convert. The loop of its TypeScript twin
// src/sim/physics/smb-ti.ts moved one-to-one (f32 storage, f64 arithmetic,
// same operations in the same order). Kernel ABI as in stencil.ts: rows
// [j0, j1) of nx cells, arrays are byte pointers (0 = absent), no static data.

// @ts-ignore: decorator
@inline function ld(p: usize, k: i32): f64 {
  return <f64>load<f32>(p + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline function st(p: usize, k: i32, v: f64): void {
  store<f32>(p + (<usize>k << 2), <f32>v);
}

/**
 * smb (m ice eq. a⁻¹) from z (m) for rows [j0, j1). `clim` holds nm monthly
 * temperatures at the reference height (°C) followed by nm precipitation sums
 * (kg m⁻² per month). `scale` converts mm w.e. per block to m ice eq. a⁻¹.
 * thk / icemask optional (0): as smb_simple, −10 m a⁻¹ replaces positive SMB
 * outside the mask and ice-free cells get no negative SMB.
 */
export function smbTi(
  j0: i32, j1: i32, z: usize, thk: usize, icemask: usize, clim: usize, smb: usize, nx: i32, nm: i32,
  refHgt: f64, lapse: f64, tempBias: f64, prcpFac: f64, meltF: f64, tSolid: f64, tLiq: f64, tMelt: f64, daysPerMonth: f64, scale: f64,
): void {
  const k1 = j1 * nx;
  const pc = clim + (<usize>nm << 2);
  const invRange = 1.0 / (tLiq - tSolid);
  const meltPerK = meltF * daysPerMonth;
  for (let k = j0 * nx; k < k1; k++) {
    const dT = tempBias + lapse * (ld(z, k) - refHgt);
    let b = 0.0;
    for (let m = 0; m < nm; m++) {
      const t = ld(clim, m) + dT;
      let f = (tLiq - t) * invRange;
      if (f > 1.0) f = 1.0;
      if (f < 0.0) f = 0.0;
      const tm = t - tMelt;
      b += f * prcpFac * ld(pc, m) - (tm > 0.0 ? meltPerK * tm : 0.0);
    }
    let s = b * scale;
    if (icemask != 0 && s > 0 && !(ld(icemask, k) > 0.5)) s = -10;
    if (thk != 0 && s < 0 && !(ld(thk, k) > 0)) s = 0;
    st(smb, k, s);
  }
}
