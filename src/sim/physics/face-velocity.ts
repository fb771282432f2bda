/**
 * Moving velocities between cell centres and cell faces (face layout in
 * constants.ts). Velocities in m a⁻¹.
 */
import type { GridSpacing } from './constants.js';

/**
 * Centre velocities from face velocities: the mean of the two faces of each
 * cell, zero where `thk` (m, optional) is 0 (IGM masks U by thk > 0).
 */
export function facesToCentres(
  grid: GridSpacing,
  ux: Float32Array,
  vy: Float32Array,
  u: Float32Array,
  v: Float32Array,
  thk?: Float32Array,
): void {
  const { nx, ny } = grid;
  const nx1 = nx + 1;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      if (thk !== undefined && !(thk[k] > 0)) {
        u[k] = 0;
        v[k] = 0;
        continue;
      }
      u[k] = 0.5 * (ux[j * nx1 + i] + ux[j * nx1 + i + 1]);
      v[k] = 0.5 * (vy[k] + vy[k + nx]);
    }
  }
}

/**
 * Face velocities from centre velocities as IGM's `thk` does: interior faces
 * average their two cells, domain-boundary faces copy the edge cell.
 */
export function centresToFaces(grid: GridSpacing, u: Float32Array, v: Float32Array, ux: Float32Array, vy: Float32Array): void {
  const { nx, ny } = grid;
  const nx1 = nx + 1;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    ux[j * nx1] = u[row];
    for (let i = 1; i < nx; i++) ux[j * nx1 + i] = 0.5 * (u[row + i - 1] + u[row + i]);
    ux[j * nx1 + nx] = u[row + nx - 1];
  }
  for (let i = 0; i < nx; i++) {
    vy[i] = v[i];
    vy[ny * nx + i] = v[(ny - 1) * nx + i];
  }
  for (let j = 1; j < ny; j++) {
    for (let i = 0; i < nx; i++) vy[j * nx + i] = 0.5 * (v[(j - 1) * nx + i] + v[j * nx + i]);
  }
}

/** |(u, v)| per cell (m a⁻¹), e.g. velbar_mag from ubar, vbar. */
export function speed(u: Float32Array, v: Float32Array, out: Float32Array): void {
  for (let k = 0; k < u.length; k++) out[k] = Math.sqrt(u[k] * u[k] + v[k] * v[k]);
}

/** IGM's SIA outputs at cell centres (m a⁻¹). */
export interface SiaCentreOutputs {
  ubar: Float32Array;
  vbar: Float32Array;
  uvelsurf?: Float32Array;
  vvelsurf?: Float32Array;
  velbar_mag?: Float32Array;
  velsurf_mag?: Float32Array;
}

/**
 * ubar, vbar, uvelsurf, vvelsurf, velbar_mag, velsurf_mag from the face
 * velocities of {@link siaFaceVelocities} (surface ones need uxSurf/vySurf).
 */
export function siaCentreVelocities(
  grid: GridSpacing,
  faces: { ux: Float32Array; vy: Float32Array; uxSurf?: Float32Array; vySurf?: Float32Array },
  thk: Float32Array,
  out: SiaCentreOutputs,
): void {
  facesToCentres(grid, faces.ux, faces.vy, out.ubar, out.vbar, thk);
  if (out.velbar_mag) speed(out.ubar, out.vbar, out.velbar_mag);
  if (out.uvelsurf && out.vvelsurf && faces.uxSurf && faces.vySurf) {
    facesToCentres(grid, faces.uxSurf, faces.vySurf, out.uvelsurf, out.vvelsurf, thk);
    if (out.velsurf_mag) speed(out.uvelsurf, out.vvelsurf, out.velsurf_mag);
  }
}
