/**
 * {@link transportThickness} on the AssemblyScript kernel: pass 1 (fluxes,
 * update, surface, positivity flags) runs in glacier.transportPass1 — f64
 * arithmetic like the TypeScript loop, so the flux form and the mass budget
 * are the same to round-off — and pass 2 (the donor limiter and the clip,
 * which touch only the few flagged cells) is the shared TypeScript
 * {@link transportLimitPass}.
 */
import { RHO_ICE, RHO_WATER, type GridSpacing } from './constants.js';
import { checkTransportArgs, limiterCode, transportLimitPass, type TransportBudget, type TransportOptions } from './transport.js';
import { bandCount, runRows, scratchF32, Staging } from './wasm-runtime.js';

let gatherA = new Int32Array(0);
let gatherB = new Int32Array(0);

/** Drop-in for {@link transportThickness} running pass 1 on wasm. */
export function transportThicknessWasm(
  grid: GridSpacing,
  thk: Float32Array,
  ux: Float32Array,
  vy: Float32Array,
  smb: Float32Array | null,
  dt: number,
  thkOut: Float32Array,
  opts: TransportOptions = {},
): TransportBudget {
  const { nx, ny, dx, dy } = grid;
  const n = nx * ny;
  checkTransportArgs(grid, thk, ux, vy, smb, dt, thkOut, opts);
  const lim = limiterCode(opts.limiter ?? 'superbee');
  const haveSurf = opts.topg !== undefined && opts.usurf !== undefined;
  const sl = opts.sealevel ?? 0;
  const fl = 1 - (opts.ratioDensity ?? RHO_ICE / RHO_WATER);
  const nb = Math.max(1, Math.min(bandCount(n), ny));
  const scratch = scratchF32('transport.rows', 2 * nb * (4 * nx + 8)); // f64 × 4 rows per band
  const sums = scratchF32('transport.sums', 4 * ny); // f64 × 2 per row
  const listA = scratchF32('transport.listA', n);
  const listB = scratchF32('transport.listB', n);
  const cnt = scratchF32('transport.cnt', 2 * ny);
  const s = new Staging();
  let ok = false;
  let smbSum = 0;
  let outSum = 0;
  let nLim = 0;
  let nChk = 0;
  let clipped = 0;
  try {
    const thkV = s.view(thk);
    const out = s.view(thkOut, true, false);
    const topg = haveSurf ? s.view(opts.topg!) : null;
    const usurf = haveSurf ? s.view(opts.usurf!, true, true) : null;
    const uxV = s.view(ux);
    const vyV = s.view(vy);
    const smbV = smb === null ? null : s.view(smb);
    const args = [nb, thkV.byteOffset, uxV.byteOffset, vyV.byteOffset, smbV ? smbV.byteOffset : 0, out.byteOffset, topg ? topg.byteOffset : 0, usurf ? usurf.byteOffset : 0,
      scratch.byteOffset, sums.byteOffset, listA.byteOffset, listB.byteOffset, cnt.byteOffset, nx, ny, dt, dt / dx, dt / dy, lim, sl, fl];
    runRows('transportPass1', nb, nb > 1 ? n : 0, args);
    const sm = new Float64Array(sums.buffer, sums.byteOffset, 2 * ny);
    const cn = new Int32Array(cnt.buffer, cnt.byteOffset, 2 * ny);
    const la = new Int32Array(listA.buffer, listA.byteOffset, n);
    const lb = new Int32Array(listB.buffer, listB.byteOffset, n);
    for (let j = 0; j < ny; j++) {
      smbSum += sm[2 * j];
      outSum += sm[2 * j + 1];
      nLim += cn[2 * j];
      nChk += cn[2 * j + 1];
    }
    if (opts.positivity === 'clip') nLim = 0;
    if (nLim + nChk > 0) {
      // gather the row-local lists in row order (the order the TS pass produces)
      if (gatherA.length < nLim) gatherA = new Int32Array(nLim);
      if (gatherB.length < nChk) gatherB = new Int32Array(nChk);
      let qa = 0;
      let qb = 0;
      for (let j = 0; j < ny; j++) {
        const a = cn[2 * j];
        const b = cn[2 * j + 1];
        if (a > 0 && nLim > 0) {
          gatherA.set(la.subarray(j * nx, j * nx + a), qa);
          qa += a;
        }
        if (b > 0) {
          gatherB.set(lb.subarray(j * nx, j * nx + b), qb);
          qb += b;
        }
      }
      const fix = transportLimitPass(grid, thkV, uxV, vyV, smbV, dt, out, lim, topg, usurf, sl, fl, gatherA, nLim, gatherB, nChk);
      outSum -= fix.returned;
      clipped = fix.clipped;
    }
    ok = true;
  } finally {
    s.finish(ok);
  }
  const area = dx * dy;
  return { smbVolume: smbSum * area, clippedVolume: clipped * area, outflowVolume: outSum * area, limitedCells: nLim };
}
