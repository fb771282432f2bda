/**
 * Read a variable as a nunatak `Field` (float32, (ny, nx) or (nz, ny, nx) on a
 * regular grid), the bridge from files to the sim / models faces.
 */
import { NunatakError } from '../../core/errors.js';
import { Field } from '../../core/field/field.js';
import { findXY, gridOf } from './coords.js';
import type { Dataset } from './dataset.js';

export interface ReadFieldOptions {
  /** Index along the leading (time/level) dimension; omit to read them all as levels. */
  index?: number;
  /** Name of the returned field (default: the variable name). */
  as?: string;
}

/** Variable `name` as a Field: 2-D (y, x), or 3-D (t, y, x) with one index picked or all as levels. */
export function readField(ds: Dataset, name: string, o: ReadFieldOptions = {}): Field {
  const v = ds.variable(name);
  const xy = findXY(ds, name);
  const grid = gridOf(ds, name);
  const nd = v.shape.length;
  if (!(nd === 2 || nd === 3) || xy.yAxis !== nd - 2 || xy.xAxis !== nd - 1) {
    throw new NunatakError('SHAPE', `${ds.path}: variable '${name}' (${v.dims.join(', ')}) is not (y, x) or (t, y, x)`, {
      hint: 'a Field is a 2-D grid with an optional leading time/level axis',
    });
  }
  const slab = nd === 3 && o.index !== undefined ? { start: [o.index, 0, 0], count: [1, grid.ny, grid.nx] } : undefined;
  const { data } = ds.read(name, slab, 'float32');
  const nz = nd === 3 && o.index === undefined ? v.shape[0] : undefined;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return new Field({
    name: o.as ?? name,
    grid,
    units: str(v.attrs.units),
    nz,
    data: data as Float32Array,
    longName: str(v.attrs.long_name),
    standardName: str(v.attrs.standard_name),
  });
}
