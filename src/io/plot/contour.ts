/**
 * Marching-squares contour lines of a 2-D field at a given level, as line
 * segments in fractional cell-centre index space (i along x, j along rows).
 * Cells touching NaN are skipped; saddles are split by the cell-mean rule.
 */
import type { Field } from '../../core/field/field.js';

/** A segment [i1, j1, i2, j2] in cell-centre index units. */
export type Segment = [number, number, number, number];

/** Contour segments of `field` at `level`. */
export function contourSegments(field: Field, level: number): Segment[] {
  const { nx, ny } = field.grid;
  const z = field.data;
  const segs: Segment[] = [];
  const lerp = (a: number, b: number) => (level - a) / (b - a);
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const v0 = z[j * nx + i]; // top-left
      const v1 = z[j * nx + i + 1]; // top-right
      const v2 = z[(j + 1) * nx + i + 1]; // bottom-right
      const v3 = z[(j + 1) * nx + i]; // bottom-left
      if (Number.isNaN(v0) || Number.isNaN(v1) || Number.isNaN(v2) || Number.isNaN(v3)) continue;
      const code = (v0 > level ? 8 : 0) | (v1 > level ? 4 : 0) | (v2 > level ? 2 : 0) | (v3 > level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      // Edge crossing points: top, right, bottom, left.
      const top: [number, number] = [i + lerp(v0, v1), j];
      const right: [number, number] = [i + 1, j + lerp(v1, v2)];
      const bottom: [number, number] = [i + lerp(v3, v2), j + 1];
      const left: [number, number] = [i, j + lerp(v0, v3)];
      const add = (p: [number, number], q: [number, number]) => segs.push([p[0], p[1], q[0], q[1]]);
      const centreAbove = (v0 + v1 + v2 + v3) / 4 > level;
      switch (code) {
        case 1: case 14: add(left, bottom); break;
        case 2: case 13: add(bottom, right); break;
        case 3: case 12: add(left, right); break;
        case 4: case 11: add(top, right); break;
        case 6: case 9: add(top, bottom); break;
        case 7: case 8: add(left, top); break;
        case 5: // top-right and bottom-left above
          if (centreAbove) { add(left, top); add(bottom, right); } else { add(top, right); add(left, bottom); }
          break;
        case 10: // top-left and bottom-right above
          if (centreAbove) { add(top, right); add(left, bottom); } else { add(left, top); add(bottom, right); }
          break;
      }
    }
  }
  return segs;
}
