/**
 * Observation files of the inversion: a NetCDF file with x/y coordinates and
 * any of the observation variables on (y, x) (a leading time axis: its last
 * record). Rows are turned to go north (as the `local` input does) and every
 * variable must share one grid — and, when given, the model's grid — or the
 * error names the file, the variable and both grids.
 */
import { NunatakError } from '../../core/errors.js';
import type { Field } from '../../core/field/field.js';
import type { Grid } from '../../core/field/grid.js';
import { openDataset, readField } from '../../io/netcdf/index.js';
import { northward } from '../grid-ops.js';

/** Variables read from an observation file (all optional in the file). */
export const OBS_VARIABLES = ['usurf', 'usurfobs', 'icemask', 'uvelsurfobs', 'vvelsurfobs', 'thkobs', 'smb', 'dhdt', 'thkinit', 'slidingco'] as const;

export interface ObservationFile {
  grid: Grid;
  fields: Partial<Record<(typeof OBS_VARIABLES)[number], Field>>;
}

const describe = (g: Grid) => `${g.ny}×${g.nx} cells of ${g.dx}×${Math.abs(g.dy)} m from (${g.x0}, ${g.y0})`;

function sameGrid(a: Grid, b: Grid): boolean {
  const tol = 1e-6 * Math.max(Math.abs(a.dx), 1);
  return a.nx === b.nx && a.ny === b.ny && Math.abs(a.dx - b.dx) <= tol && Math.abs(a.dy - b.dy) <= tol && Math.abs(a.x0 - b.x0) <= tol && Math.abs(a.y0 - b.y0) <= tol;
}

/** Read the observation variables of `file`; `grid`, when given, is the grid they must lie on. */
export async function readObservations(file: string, grid?: Grid): Promise<ObservationFile> {
  const ds = await openDataset(file);
  try {
    const fields: ObservationFile['fields'] = {};
    let ref: { name: string; grid: Grid } | undefined = grid ? { name: 'the model grid', grid } : undefined;
    for (const name of OBS_VARIABLES) {
      if (!ds.has(name)) continue;
      const v = ds.variable(name);
      const f = northward(readField(ds, name, v.shape.length === 3 ? { index: v.shape[0] - 1 } : {}));
      if (ref && !sameGrid(ref.grid, f.grid)) {
        throw new NunatakError('SHAPE', `${file}: variable '${name}' is on ${describe(f.grid)}, but ${ref.name} is ${describe(ref.grid)}`, {
          hint: 'resample the observations onto the model grid (same nx, ny, dx, dy and origin)',
        });
      }
      ref ??= { name: `variable '${name}'`, grid: f.grid };
      fields[name] = f;
    }
    if (!ref || Object.keys(fields).length === 0) {
      throw new NunatakError('INPUT', `${file} holds none of the observation variables ${OBS_VARIABLES.join(', ')}`, {
        hint: `variables in the file: ${ds.vars.map((q) => q.name).join(', ')}`,
      });
    }
    return { grid: ref.grid, fields };
  } finally {
    ds.close();
  }
}
