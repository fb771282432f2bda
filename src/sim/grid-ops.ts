/**
 * Grid operations for inputs: flip north-up rasters to rows going north
 * (the sim's kernels need dy > 0), crop to a box, coarsen by block means.
 */
import { NunatakError } from '../core/errors.js';
import { Field } from '../core/field/field.js';
import { makeGrid, type Grid } from '../core/field/grid.js';

/** Same field with rows ordered south to north (dy > 0); a copy only when flipped. */
export function northward(f: Field): Field {
  const g = f.grid;
  if (g.dy > 0) return f;
  const grid: Grid = makeGrid({ ...g, y0: g.y0 + (g.ny - 1) * g.dy, dy: -g.dy });
  const out = new Float32Array(f.data.length);
  for (let j = 0; j < g.ny; j++) out.set(f.data.subarray((g.ny - 1 - j) * g.nx, (g.ny - j) * g.nx), j * g.nx);
  return new Field({ name: f.name, grid, units: f.units, data: out, longName: f.longName, standardName: f.standardName });
}

/** Column/row index range of cells whose centres lie in [min, max] (null = open). */
function range(v0: number, d: number, n: number, lo: number | null, hi: number | null): [number, number] {
  let a = 0;
  let b = n - 1;
  while (a < n && lo !== null && v0 + a * d < lo) a++;
  while (b >= 0 && hi !== null && v0 + b * d > hi) b--;
  return [a, b];
}

export interface CropBox {
  xmin: number | null;
  xmax: number | null;
  ymin: number | null;
  ymax: number | null;
}

/** Cells whose centres lie in the box (grid with dy > 0). */
export function cropFields(fields: Field[], box: CropBox): Field[] {
  if (fields.length === 0) return fields;
  const g = fields[0].grid;
  const [i0, i1] = range(g.x0, g.dx, g.nx, box.xmin, box.xmax);
  const [j0, j1] = range(g.y0, g.dy, g.ny, box.ymin, box.ymax);
  if (i1 - i0 < 2 || j1 - j0 < 2) {
    throw new NunatakError('CONFIG', `crop box x ${box.xmin}…${box.xmax}, y ${box.ymin}…${box.ymax} m leaves fewer than 3×3 cells`, {
      hint: `the grid spans x ${g.x0}…${g.x0 + (g.nx - 1) * g.dx} m, y ${g.y0}…${g.y0 + (g.ny - 1) * g.dy} m`,
    });
  }
  const grid = makeGrid({ ...g, nx: i1 - i0 + 1, ny: j1 - j0 + 1, x0: g.x0 + i0 * g.dx, y0: g.y0 + j0 * g.dy });
  return fields.map((f) => {
    const out = new Float32Array(grid.nx * grid.ny);
    for (let j = 0; j < grid.ny; j++) out.set(f.data.subarray((j + j0) * g.nx + i0, (j + j0) * g.nx + i1 + 1), j * grid.nx);
    return new Field({ name: f.name, grid, units: f.units, data: out, longName: f.longName, standardName: f.standardName });
  });
}

/** Block means of ratio × ratio cells; trailing rows/columns that do not fill a block are dropped. */
export function coarsen(f: Field, ratio: number): Field {
  if (ratio === 1) return f;
  if (!Number.isInteger(ratio) || ratio < 1) throw new NunatakError('CONFIG', `coarsening ratio must be a positive integer, got ${ratio}`);
  const g = f.grid;
  const nx = Math.floor(g.nx / ratio);
  const ny = Math.floor(g.ny / ratio);
  if (nx < 3 || ny < 3) throw new NunatakError('CONFIG', `coarsening a ${g.ny}×${g.nx} grid by ${ratio} leaves ${ny}×${nx} cells`, { hint: 'use a smaller ratio' });
  const grid = makeGrid({ ...g, nx, ny, dx: g.dx * ratio, dy: g.dy * ratio, x0: g.x0 + ((ratio - 1) / 2) * g.dx, y0: g.y0 + ((ratio - 1) / 2) * g.dy });
  const out = new Float32Array(nx * ny);
  for (let J = 0; J < ny; J++) {
    for (let I = 0; I < nx; I++) {
      let s = 0;
      for (let a = 0; a < ratio; a++) for (let b = 0; b < ratio; b++) s += f.data[(J * ratio + a) * g.nx + I * ratio + b];
      out[J * nx + I] = s / (ratio * ratio);
    }
  }
  return new Field({ name: f.name, grid, units: f.units, data: out, longName: f.longName, standardName: f.standardName });
}
