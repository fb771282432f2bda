/**
 * Per-face view descriptors: what `GET /api/faces` sends for each folder whose
 * contents say which nunatak face wrote it. Every path is a file id
 * (`<root index>/<path inside the root>`) that the page fetches through the
 * same path-guarded routes as any other file. No Node imports (the browser
 * bundle uses these types).
 */

/** `nunatak run` folder: output.nc + output_ts.nc (+ summary.csv, timings.csv). */
export interface SimFace {
  kind: 'sim';
  /** Folder label as the user gave it. */
  label: string;
  /** output.nc: maps over time. */
  output: string;
  /** output_ts.nc: vol, area and the mass budget per save. */
  ts: string;
  /** Map variables present in output.nc (thk first, then speeds), each (time, y, x). */
  maps: string[];
  /** Bed elevation for the hillshade ('topg'), when written. */
  bed?: string;
  /** Ice mask variable for the outline ('icemask'), when written; else the outline follows thk > 0. */
  mask?: string;
  /** Series variables of output_ts.nc, grouped per plot: [['vol'], ['area'], ['smb_volume', 'outflow_volume', 'clipped_volume']]. */
  series: string[][];
  summary?: string;
  timings?: string;
}

/** A forecast written by `nunatak models run`, with its verification source when that is served too. */
export interface ForecastRef {
  id: string;
  label: string;
  channels: string[];
  members: number;
  /** Verification data file (from the forecast's nunatak_config); undefined when not among the served paths. */
  verification?: string;
  /** Why there is no verification, for the page to say. */
  noVerification?: string;
}

/** `nunatak models run` / `models score` outputs in one folder. */
export interface ModelsFace {
  kind: 'models';
  label: string;
  forecasts: ForecastRef[];
  /** `<label>.scores.nc` files: score variables `<score>_<channel>(lead_time)`; `forecast`: id of the scored forecast when served. */
  scores: Array<{ id: string; label: string; vars: string[]; forecast?: string }>;
}

/** `nunatak hybrid test|simulate` evaluation folder. */
export interface HybridFace {
  kind: 'hybrid';
  label: string;
  /** streamflow.csv: date,<id>_sim,<id>_obs,… (mm/d). */
  streamflow: string;
  /** metrics.json per basin (test runs only). */
  metrics?: string;
  basins: string[];
}

/** `nunatak emulator train` folder (static: what the finished run wrote). */
export interface EmulatorFace {
  kind: 'emulator';
  label: string;
  /** train-history.csv (space separated: epoch loss mae mse val_loss val_mae val_mse). */
  history: string;
  /** predict-scores.txt (case frame mae rmse). */
  scores?: string;
  /** TRUE | PREDICTED and difference PNGs, in name order. */
  images: Array<{ id: string; label: string }>;
}

export type Face = SimFace | ModelsFace | HybridFace | EmulatorFace;

/** Body of /api/table/<id>: a CSV (comma or space separated) as columns of numbers or strings. */
export interface TableBody {
  columns: string[];
  /** One array per column; numeric cells are numbers (empty / 'nan' → null), others strings. */
  values: Array<Array<number | string | null>>;
}
