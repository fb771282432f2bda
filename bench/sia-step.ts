// One full glacier step (SMB → SIA → centre velocities → Δt → transport), the
// unit that bench/sia.ts times. Shared so the bench and its peer check run the
// very same composition.
import {
  siaFaceVelocities,
  smbSimple,
  stableTimeStep,
  transportThickness,
  updateSurface,
  xFaceCount,
  yFaceCount,
  type GridSpacing,
} from '../src/sim/physics/index.ts';

export interface StepState {
  grid: GridSpacing;
  topg: Float32Array;
  thk: Float32Array;
  usurf: Float32Array;
  smb: Float32Array;
  next: Float32Array;
  ux: Float32Array;
  vy: Float32Array;
  ubar: Float32Array;
  vbar: Float32Array;
  velbar_mag: Float32Array;
}

export const SMB = { gradabl: 0.009, gradacc: 0.005, ela: 2900, accmax: 2 };
export const A = 78;
export const SLIDINGCO = 0.0464;

/** A bumpy mountain fully covered by ice (no ice-free shortcuts for either side). */
export function makeState(N: number, dx = 100): StepState {
  const grid = { nx: N, ny: N, dx, dy: dx };
  const n = N * N;
  const topg = new Float32Array(n);
  const thk = new Float32Array(n);
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const x = (i / (N - 1)) * 2 * Math.PI;
      const y = (j / (N - 1)) * 2 * Math.PI;
      topg[j * N + i] = 2600 + 300 * Math.sin(x) * Math.cos(y) + 40 * Math.sin(7 * x + 3 * y);
      thk[j * N + i] = 120 + 80 * Math.cos(2 * x) * Math.sin(y);
    }
  }
  const usurf = new Float32Array(n);
  updateSurface(thk, topg, usurf);
  return {
    grid, topg, thk, usurf, smb: new Float32Array(n), next: new Float32Array(n),
    ux: new Float32Array(xFaceCount(grid)), vy: new Float32Array(yFaceCount(grid)),
    ubar: new Float32Array(n), vbar: new Float32Array(n), velbar_mag: new Float32Array(n),
  };
}

/** One step; returns Δt (a). Swaps thk/next. */
export function step(s: StepState): number {
  smbSimple(s.usurf, SMB, s.smb, s.thk);
  const st = siaFaceVelocities(s.grid, s.thk, s.usurf, { A, slidingco: SLIDINGCO }, { ux: s.ux, vy: s.vy, centre: { ubar: s.ubar, vbar: s.vbar, velbar_mag: s.velbar_mag } });
  const { dt } = stableTimeStep({ dx: s.grid.dx, dy: s.grid.dy, umax: st.umax, dmax: st.dmax });
  transportThickness(s.grid, s.thk, s.ux, s.vy, s.smb, dt, s.next, { limiter: 'superbee', topg: s.topg, usurf: s.usurf });
  [s.thk, s.next] = [s.next, s.thk];
  return dt;
}
