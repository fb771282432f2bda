/**
 * Verification runs of the kernels against Bueler's exact SIA solutions: the
 * same composition the engine uses (SMB → SIA → time step → transport), on a
 * square grid centred on the dome. Used by test/sim and bench/bueler.ts.
 */
import { buelerSolution, type BuelerCase } from './bueler.js';
import { xFaceCount, yFaceCount, type GridSpacing } from './constants.js';
import { siaFaceVelocities } from './sia.js';
import { stableTimeStep } from './timestep.js';
import { transportThickness, type Limiter } from './transport.js';
import { checkThickness } from './check.js';

/** Options of {@link runBueler}. */
export interface BuelerRunOptions extends BuelerCase {
  /** Cells per side (odd, so the dome sits on a cell centre). */
  cells: number;
  /** Half-width of the square domain (m). */
  halfWidth: number;
  /** Start and end times (a); default t0 and t0 + duration. */
  tStart?: number;
  tEnd?: number;
  /** Face reconstruction; 'centered' = type-II SIA diffusion. */
  limiter?: Limiter;
  /** Fraction of the diffusive limit dx²/(4 D_max) (default 1). */
  cdiff?: number;
  /** Advective Courant number (default 0.3). */
  cfl?: number;
}

/** Errors of a verification run at tEnd. */
export interface BuelerRunResult {
  dx: number;
  steps: number;
  /** |V − V_exact| / V_exact. */
  volumeError: number;
  /** |H(0) − H_exact(0)| / H_exact(0). */
  domeError: number;
  /** max |H − H_exact| (m) and mean over cells where either is ice (m). */
  maxError: number;
  meanError: number;
  /** max over cells of the x-mirror, y-mirror and transpose differences (m). */
  asymmetry: number;
  /** Volume budget closure |ΔV − (smb + clipped − outflow)| / V (relative). */
  budgetError: number;
  thk: Float32Array;
}

/** Runs a Bueler test with the kernels and measures the errors. */
export function runBueler(o: BuelerRunOptions): BuelerRunResult {
  const sol = buelerSolution(o);
  const N = o.cells;
  const dx = (2 * o.halfWidth) / (N - 1);
  const grid: GridSpacing = { nx: N, ny: N, dx, dy: dx };
  const c = (N - 1) / 2;
  const radius = new Float64Array(N * N);
  for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) radius[j * N + i] = Math.hypot((i - c) * dx, (j - c) * dx);
  const tStart = o.tStart ?? sol.t0;
  const tEnd = o.tEnd ?? tStart + 1000;
  let thk = new Float32Array(N * N);
  let next = new Float32Array(N * N);
  for (let k = 0; k < N * N; k++) thk[k] = sol.thk(tStart, radius[k]);
  const topg = new Float32Array(N * N);
  const usurf = thk.slice();
  const smb = o.test === 'C' ? new Float32Array(N * N) : null;
  const faces = { ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)) };
  const volume = (h: Float32Array) => {
    let s = 0;
    for (let k = 0; k < h.length; k++) s += h[k];
    return s * dx * dx;
  };
  const v0 = volume(thk);
  let budget = 0;
  let t = tStart;
  let steps = 0;
  while (t < tEnd) {
    const st = siaFaceVelocities(grid, thk, usurf, { A: sol.A, n: sol.n }, faces);
    let { dt } = stableTimeStep({ dx, dy: dx, umax: st.umax, dmax: st.dmax, cfl: o.cfl, cdiff: o.cdiff, stepMax: 1e6 });
    if (t + dt >= tEnd) dt = tEnd - t;
    if (smb) {
      const tm = t + 0.5 * dt; // midpoint-in-time accumulation
      for (let k = 0; k < N * N; k++) smb[k] = sol.smb(tm, radius[k]);
    }
    const b = transportThickness(grid, thk, faces.ux, faces.vy, smb, dt, next, { limiter: o.limiter ?? 'centered', topg, usurf });
    budget += b.smbVolume + b.clippedVolume - b.outflowVolume;
    [thk, next] = [next, thk];
    t = t + dt >= tEnd ? tEnd : t + dt;
    steps++;
    checkThickness(thk, grid, { t, it: steps, dt });
  }
  const v1 = volume(thk);
  const ve = sol.volume(tEnd);
  let maxE = 0;
  let sumE = 0;
  let cnt = 0;
  let asym = 0;
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const k = j * N + i;
      const ex = sol.thk(tEnd, radius[k]);
      const e = Math.abs(thk[k] - ex);
      if (e > maxE) maxE = e;
      if (thk[k] > 0 || ex > 0) {
        sumE += e;
        cnt++;
      }
      const h = thk[k];
      asym = Math.max(asym, Math.abs(h - thk[j * N + (N - 1 - i)]), Math.abs(h - thk[(N - 1 - j) * N + i]), Math.abs(h - thk[i * N + j]));
    }
  }
  const centre = c * N + c;
  return {
    dx,
    steps,
    volumeError: Math.abs(v1 - ve) / ve,
    domeError: Math.abs(thk[centre] - sol.dome(tEnd)) / sol.dome(tEnd),
    maxError: maxE,
    meanError: cnt ? sumE / cnt : 0,
    asymmetry: asym,
    budgetError: Math.abs(v1 - v0 - budget) / v1,
    thk,
  };
}
