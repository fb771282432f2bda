/**
 * The simulation state every module reads and writes: named 2-D `Field`s on
 * one grid (IGM/PISM names: thk, topg, usurf, smb, ubar, …) plus the clock
 * (`t`, `dt` in years, iteration `it`) and `saveresult`, true on steps that
 * land on a save time. Modules keep private data in `extra`.
 */
import { NunatakError, didYouMean } from '../core/errors.js';
import { Field } from '../core/field/field.js';
import { cellArea, type Grid } from '../core/field/grid.js';

/** Default units, long names and CF standard names (CF standard name table) of the standard fields. */
export const FIELD_INFO: Record<string, { units: string; longName: string; standardName?: string }> = {
  thk: { units: 'm', longName: 'ice thickness', standardName: 'land_ice_thickness' },
  topg: { units: 'm', longName: 'bed elevation', standardName: 'bedrock_altitude' },
  usurf: { units: 'm', longName: 'ice surface elevation', standardName: 'surface_altitude' },
  lsurf: { units: 'm', longName: 'ice lower surface elevation' },
  smb: { units: 'm a-1', longName: 'surface mass balance (ice equivalent)', standardName: 'land_ice_surface_specific_mass_balance' },
  icemask: { units: '1', longName: 'ice mask (1 inside the glacier outline)' },
  ubar: { units: 'm a-1', longName: 'depth-averaged x velocity', standardName: 'land_ice_vertical_mean_x_velocity' },
  vbar: { units: 'm a-1', longName: 'depth-averaged y velocity', standardName: 'land_ice_vertical_mean_y_velocity' },
  uvelsurf: { units: 'm a-1', longName: 'surface x velocity', standardName: 'land_ice_surface_x_velocity' },
  vvelsurf: { units: 'm a-1', longName: 'surface y velocity', standardName: 'land_ice_surface_y_velocity' },
  velbar_mag: { units: 'm a-1', longName: 'depth-averaged speed' },
  velsurf_mag: { units: 'm a-1', longName: 'surface speed' },
  uvelbase: { units: 'm a-1', longName: 'basal x velocity', standardName: 'land_ice_basal_x_velocity' },
  vvelbase: { units: 'm a-1', longName: 'basal y velocity', standardName: 'land_ice_basal_y_velocity' },
  U: { units: 'm a-1', longName: 'x velocity on terrain-following levels', standardName: 'land_ice_x_velocity' },
  V: { units: 'm a-1', longName: 'y velocity on terrain-following levels', standardName: 'land_ice_y_velocity' },
  divflux: { units: 'm a-1', longName: 'flux divergence' },
  arrhenius: { units: 'MPa-3 a-1', longName: 'rate factor A' },
  slidingco: { units: 'MPa a^(1/3) m^(-1/3)', longName: 'Weertman sliding coefficient' },
};

/** The vertical axis of 3-D fields (written as a coordinate variable by write_ncdf). */
export interface LevelAxis {
  /** Dimension / coordinate name in output files. */
  name: string;
  /** Coordinate values, bottom to top. */
  values: Float64Array;
  units: string;
  longName: string;
  /** CF `positive` attribute. */
  positive: 'up' | 'down';
}

export class SimState {
  private _grid?: Grid;
  /** Fields by name. */
  readonly fields: Record<string, Field> = {};
  /** Model time (a). */
  t = 0;
  /** Last time step (a); 0 on iteration 0. */
  dt = 0;
  /** Iteration number, 0 on the first pass through the loop. */
  it = 0;
  /** True when this step ends on a save time: outputs write then. */
  saveresult = true;
  /** Set false by the time module when the run has reached its end. */
  continueRun = true;
  /** Folder this run writes into. */
  outDir: string;
  /** Folder of the experiment file (relative input paths start there). */
  baseDir: string;
  /** Vertical axis of each 3-D field, by field name (fields without one are written with a bare level index). */
  readonly levels: Record<string, LevelAxis> = {};
  /** Private data of modules, keyed by module name (e.g. particle arrays). */
  readonly extra: Record<string, unknown> = {};

  constructor(grid?: Grid, opts: { outDir?: string; baseDir?: string } = {}) {
    this._grid = grid;
    this.outDir = opts.outDir ?? '.';
    this.baseDir = opts.baseDir ?? '.';
  }

  /** The grid every field lives on (x, y in m); set by the first input module. */
  get grid(): Grid {
    if (!this._grid) throw new NunatakError('CONFIG', 'the state has no grid yet', { hint: 'list an input module (e.g. synthetic or local) that defines the grid' });
    return this._grid;
  }

  get hasGrid(): boolean {
    return this._grid !== undefined;
  }

  /** Sets the grid; only allowed while the state holds no fields on another grid. */
  setGrid(g: Grid): void {
    if (this._grid && Object.keys(this.fields).length > 0 && (g.nx !== this._grid.nx || g.ny !== this._grid.ny)) {
      throw new NunatakError('SHAPE', `an input module changed the grid from ${this._grid.ny}×${this._grid.nx} to ${g.ny}×${g.nx} after fields were made`);
    }
    this._grid = g;
  }

  has(name: string): boolean {
    return name in this.fields;
  }

  /** The field `name`; NOT_FOUND (with suggestions) when no module made it. */
  get(name: string): Field {
    const f = this.fields[name];
    if (!f) {
      throw new NunatakError('NOT_FOUND', `state has no field '${name}'${didYouMean(name, Object.keys(this.fields))}`, {
        hint: `fields: ${Object.keys(this.fields).join(', ') || '(none)'}; declare it in a module's reads and make sure a module writes it`,
      });
    }
    return f;
  }

  /** Adds or replaces a field (must be on the state's grid). */
  set(field: Field): Field {
    const g = field.grid;
    if (g.nx !== this.grid.nx || g.ny !== this.grid.ny) {
      throw new NunatakError('SHAPE', `field '${field.name}' is ${g.ny}×${g.nx}, the state grid is ${this.grid.ny}×${this.grid.nx}`);
    }
    this.fields[field.name] = field;
    return field;
  }

  /** The field `name`, created (zero-filled, standard units) when missing. */
  ensure(name: string, units?: string): Field {
    const f = this.fields[name];
    if (f) return f;
    const info = FIELD_INFO[name];
    return this.set(new Field({ name, grid: this.grid, units: units ?? info?.units ?? '1', longName: info?.longName, standardName: info?.standardName }));
  }

  /** Ice volume Σ thk · cell area (km³). */
  volumeKm3(): number {
    const h = this.fields.thk?.data;
    if (!h) return 0;
    let s = 0;
    for (let k = 0; k < h.length; k++) s += h[k];
    return (s * cellArea(this.grid)) / 1e9;
  }

  /** Glacier area: cells with thk > `minThk` m (IGM uses 1 m), in km². */
  areaKm2(minThk = 1): number {
    const h = this.fields.thk?.data;
    if (!h) return 0;
    let c = 0;
    for (let k = 0; k < h.length; k++) if (h[k] > minThk) c++;
    return (c * cellArea(this.grid)) / 1e6;
  }
}
