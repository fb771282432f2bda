/**
 * A Field: a named float32 array on a regular grid, with units. 2-D fields are
 * (ny, nx); 3-D fields have a leading level/time axis (nz, ny, nx).
 *
 * A field is a Float32Array and, on demand, a TF.js tensor of the same shape.
 * Exactly one copy is authoritative at a time; the other is brought up to
 * date lazily when asked for:
 * - `field.tensor` returns a tensor of the current values (cached while the
 *   data is unchanged). The field owns it: do not dispose it; it is disposed
 *   when the values change (`field.data` read or written, `setTensor`) or on
 *   `field.dispose()`. It survives `tf.tidy` (it is kept).
 * - `field.setTensor(t)` makes `t` the current values (the field takes it
 *   over; the array is stale until `field.data` is read).
 * - `field.data` returns the array, synced from the tensor if that is newer.
 *   Because the caller may write into it, the cached tensor is dropped.
 *   `field.at()` reads without dropping it.
 */
import { NunatakError } from '../errors.js';
import { tf } from '../tensor/index.js';
import type { Grid } from './grid.js';

/** Tensors owned by some field: handing one to another field clones the handle. */
const owned = new WeakSet<tf.Tensor>();

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
  private _data: Float32Array;
  private _tensor: tf.Tensor | null = null;
  /** Which copy holds the current values ('both' when the tensor mirrors the array). */
  private current: 'data' | 'tensor' | 'both' = 'data';

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
    this._data = init.data ?? new Float32Array(n);
  }

  /** Number of values (nz·ny·nx). */
  get size(): number {
    return (this.nz || 1) * this.grid.nx * this.grid.ny;
  }

  /**
   * The values as a Float32Array (synced from the tensor if that is newer).
   * Callers may write into it: the cached tensor is disposed.
   */
  get data(): Float32Array {
    this.syncData();
    this.dropTensor();
    return this._data;
  }

  /** Replace the values with `v` (adopted, not copied; length must match). */
  set data(v: Float32Array) {
    if (!(v instanceof Float32Array) || v.length !== this.size) {
      throw new NunatakError('SHAPE', `field '${this.name}': new data has ${v?.length} values, grid needs ${this.size}`, {
        hint: `expected a Float32Array of ${this.shape.join(' × ')}`,
      });
    }
    this._data = v;
    this.dropTensor();
  }

  /** The values as a tensor of `shape` (created lazily, cached; owned by the field). */
  get tensor(): tf.Tensor {
    if (this._tensor && this.current !== 'data') return this._tensor;
    this.dropTensor();
    // The cpu backend adopts the array it is given: hand it a copy so later
    // writes into field.data cannot reach a tensor someone still holds.
    const src = tf.getBackend() === 'cpu' ? this._data.slice() : this._data;
    const t = tf.keep(tf.tensor(src, this.shape, 'float32'));
    owned.add(t);
    this._tensor = t;
    this.current = 'both';
    return t;
  }

  /**
   * Make `t` (float32, same shape) the field's values. The field takes the
   * tensor over (kept out of any tf.tidy, disposed when superseded); a tensor
   * already owned by another field is shared through a cloned handle.
   */
  setTensor(t: tf.Tensor): void {
    if (t.dtype !== 'float32' || t.shape.length !== this.shape.length || t.shape.some((d, k) => d !== this.shape[k])) {
      throw new NunatakError('SHAPE', `field '${this.name}': setTensor got ${t.dtype} [${t.shape.join(', ')}], expected float32 [${this.shape.join(', ')}]`);
    }
    if (t.isDisposed) throw new NunatakError('INPUT', `field '${this.name}': setTensor got a disposed tensor`);
    if (t === this._tensor) {
      this.current = 'tensor';
      return;
    }
    const mine = owned.has(t) ? tf.keep(t.clone()) : tf.keep(t);
    this.dropTensor();
    owned.add(mine);
    this._tensor = mine;
    this.current = 'tensor';
  }

  /** Dispose the cached tensor (syncing its values to the array first). */
  dispose(): void {
    this.syncData();
    this.dropTensor();
  }

  private syncData(): void {
    if (this.current === 'tensor' && this._tensor) {
      this._data.set(this._tensor.dataSync() as Float32Array);
      this.current = 'both';
    }
  }

  private dropTensor(): void {
    if (this._tensor) {
      owned.delete(this._tensor);
      if (!this._tensor.isDisposed) this._tensor.dispose();
      this._tensor = null;
    }
    this.current = 'data';
  }

  /** Shape in C order: [ny, nx] or [nz, ny, nx]. */
  get shape(): number[] {
    return this.nz ? [this.nz, this.grid.ny, this.grid.nx] : [this.grid.ny, this.grid.nx];
  }

  /** Value at row j, column i (level k for 3-D). */
  at(j: number, i: number, k = 0): number {
    this.syncData();
    return this._data[(k * this.grid.ny + j) * this.grid.nx + i];
  }

  /** A deep copy with a new name (array only; its tensor is made on demand). */
  clone(name = this.name): Field {
    this.syncData();
    return new Field({ name, grid: this.grid, units: this.units, nz: this.nz || undefined, data: this._data.slice(), longName: this.longName, standardName: this.standardName });
  }
}
