/**
 * A Field: a named float32 array on a regular grid, with units. 2-D fields are
 * (ny, nx); 3-D fields have a leading level/time axis (nz, ny, nx). The typed
 * array is the primary storage; tensor views are added by the tensor runtime.
 */
import { NunatakError } from '../errors.js';
import type { Grid } from './grid.js';

export interface FieldInit {
  name: string;
  grid: Grid;
  /** Units (UDUNITS spelling: "m", "m a-1", "MPa"...). */
  units?: string;
  /** Number of levels for 3-D fields (default: 2-D). */
  nz?: number;
  /** Initial values (copied is NOT done: the array is adopted). */
  data?: Float32Array;
  longName?: string;
  standardName?: string;
}

export class Field {
  readonly name: string;
  readonly grid: Grid;
  units: string;
  longName?: string;
  standardName?: string;
  readonly nz: number;
  data: Float32Array;

  constructor(init: FieldInit) {
    this.name = init.name;
    this.grid = init.grid;
    this.units = init.units ?? '1';
    this.nz = init.nz ?? 0;
    this.longName = init.longName;
    this.standardName = init.standardName;
    const n = (this.nz || 1) * init.grid.nx * init.grid.ny;
    if (init.data && init.data.length !== n) {
      throw new NunatakError('SHAPE', `field '${init.name}': data has ${init.data.length} values, grid needs ${n}`, {
        hint: `expected ${this.shape.join(' × ')}`,
      });
    }
    this.data = init.data ?? new Float32Array(n);
  }

  /** Shape in C order: [ny, nx] or [nz, ny, nx]. */
  get shape(): number[] {
    return this.nz ? [this.nz, this.grid.ny, this.grid.nx] : [this.grid.ny, this.grid.nx];
  }

  /** Value at row j, column i (level k for 3-D). */
  at(j: number, i: number, k = 0): number {
    return this.data[(k * this.grid.ny + j) * this.grid.nx + i];
  }

  /** A deep copy with a new name. */
  clone(name = this.name): Field {
    return new Field({ name, grid: this.grid, units: this.units, nz: this.nz || undefined, data: this.data.slice(), longName: this.longName, standardName: this.standardName });
  }
}
