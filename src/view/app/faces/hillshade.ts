/** Grey hillshade of a bed elevation grid (sun from the north-west, 45° up), for the sim face's map underlay. */

/**
 * Shade 60…255 per cell of `z` (ny × nx, row j = y index); dx, dy cell sizes in
 * the same units as z; `northUp`: y grows with the row index (rows run south
 * to north). Non-finite cells get mid grey.
 */
export function hillshade(z: Float32Array, ny: number, nx: number, dx: number, dy: number, northUp: boolean): Uint8ClampedArray {
  const out = new Uint8ClampedArray(ny * nx);
  const zen = Math.PI / 4;
  const az = (315 * Math.PI) / 180; // clockwise from north
  const at = (j: number, i: number) => z[Math.min(ny - 1, Math.max(0, j)) * nx + Math.min(nx - 1, Math.max(0, i))];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const dzdx = (at(j, i + 1) - at(j, i - 1)) / (2 * dx);
      // d/d(north): rows run north with j when northUp, south otherwise
      const dzdn = ((at(j + 1, i) - at(j - 1, i)) / (2 * dy)) * (northUp ? 1 : -1);
      if (!Number.isFinite(dzdx) || !Number.isFinite(dzdn)) {
        out[j * nx + i] = 160;
        continue;
      }
      const slope = Math.atan(Math.hypot(dzdx, dzdn));
      // direction the slope faces (downhill), clockwise from north
      const aspect = Math.atan2(-dzdx, -dzdn);
      const s = Math.cos(zen) * Math.cos(slope) + Math.sin(zen) * Math.sin(slope) * Math.cos(az - aspect);
      out[j * nx + i] = 60 + 195 * Math.max(0, s);
    }
  }
  return out;
}
