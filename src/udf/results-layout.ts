/**
 * What a file of UDF results holds, for every output format (NetCDF4 and
 * zarr): every result buffer is a variable over the nav axes (nav buffers),
 * the signal axes (sig buffers) or its own extra axes. Axes of a NetCDF input
 * keep their names, coordinate values and CF attributes (units, calendar,
 * standard_name, axis); a leading `time` axis becomes the CF time axis. Other
 * inputs get `frame` / `scan_y, scan_x` nav axes and `sig_y, sig_x` signal
 * axes. Results over the input's projected y/x keep its grid mapping.
 */
import { NunatakError } from '../core/errors.js';
import type { DimSpec, VarSpec, WriteDType, WriterOptions } from '../io/netcdf/index.js';
import type { Dataset } from './dataset/dataset.js';
import { NetcdfDataset, type DatasetAxis } from './dataset/netcdf.js';
import type { UDFResults } from './results.js';

const genericNames = (n: number, pre: string, two: [string, string], one: string): string[] =>
  n === 1 ? [one] : n === 2 ? two : Array.from({ length: n }, (_, k) => `${pre}_${k}`);

/** Axes of a dataset: from the file for NetCDF inputs, generic names otherwise. */
export function datasetAxes(ds: Dataset): { nav: DatasetAxis[]; sig: DatasetAxis[] } {
  if (ds instanceof NetcdfDataset) {
    const all = ds.axes();
    return { nav: all.slice(0, ds.navShape.length), sig: all.slice(ds.navShape.length) };
  }
  const mk = (names: string[], shape: number[]): DatasetAxis[] => names.map((name, k) => ({ name, size: shape[k], attrs: {} }));
  return {
    nav: mk(genericNames(ds.navShape.length, 'nav', ['scan_y', 'scan_x'], 'frame'), ds.navShape),
    sig: mk(genericNames(ds.sigShape.length, 'sig', ['sig_y', 'sig_x'], 'sig'), ds.sigShape),
  };
}

export interface WriteResultsOptions {
  /** Name of the UDF (for long_name and the title). */
  udfName: string;
  /** Text for the global history attribute (e.g. the command line). */
  history?: string;
  overwrite?: boolean;
}

/** A result's declared units with `{input}` replaced by the input's units; undefined when unknown. */
export function resultUnits(declared: string | undefined, input: string | undefined): string | undefined {
  if (declared === undefined || !declared.includes('{input}')) return declared;
  if (input === undefined || input.trim() === '') return undefined;
  // A simple unit squares as 'K2'; a compound one needs its parentheses, '(m a-1)2'.
  return declared.replace(/\(\{input\}\)/g, /^[A-Za-z]+$/.test(input) ? input : `(${input})`).replace(/\{input\}/g, input);
}

export interface ResultsDescription {
  writer: WriterOptions;
  /** The input's leading `time` axis when the results have a CF time axis. */
  timeAxis?: DatasetAxis;
  keys: string[];
  /** Dimension names of each result. */
  dimsOf: Map<string, string[]>;
}

/** The dataset description of `results` of a run over `ds`, to be written to `path`. */
export function resultsDescription(path: string, results: UDFResults, ds: Dataset, o: WriteResultsOptions): ResultsDescription {
  const { nav, sig } = datasetAxes(ds);
  const t0 = nav[0];
  const timeAxis = nav.length === 1 && t0.name === 'time' && t0.values && typeof t0.attrs.units === 'string' && / since /.test(t0.attrs.units) ? t0 : undefined;
  const dims: DimSpec[] = [];
  const seen = new Set<string>();
  const addDim = (a: DatasetAxis) => {
    if (seen.has(a.name) || a === timeAxis) return;
    seen.add(a.name);
    dims.push({ name: a.name, size: a.size, values: a.values, attrs: a.values ? a.attrs : undefined });
  };
  const variables: VarSpec[] = [];
  const keys = results.keys();
  if (keys.length === 0) throw new NunatakError('INPUT', `${path}: the UDF '${o.udfName}' has no results to write`);
  const dimsOf = new Map<string, string[]>();
  for (const k of keys) {
    const r = results.get(k);
    const extra = r.extraShape.map((n, d) => ({ name: `${k}_dim${d}`, size: n, attrs: {} }) as DatasetAxis);
    const base = r.kind === 'nav' ? nav : r.kind === 'sig' ? sig : extra.length ? [] : [{ name: `${k}_dim0`, size: 1, attrs: {} } as DatasetAxis];
    const axes = [...base, ...extra];
    axes.forEach(addDim);
    dimsOf.set(k, axes.map((a) => a.name));
    const dtype: WriteDType = r.dtype === 'bool' ? 'uint8' : r.dtype;
    const src = ds instanceof NetcdfDataset ? ` of ${ds.variable}` : '';
    variables.push({
      name: k,
      dims: axes.map((a) => a.name),
      dtype,
      longName: `${o.udfName} ${k}${src} (${r.kind} result)`,
      units: resultUnits(r.units, ds instanceof NetcdfDataset ? ds.units : undefined),
      attrs: { nunatak_buffer_kind: r.kind },
    });
  }
  const writer: WriterOptions = {
    time: timeAxis ? { units: timeAxis.attrs.units as string, calendar: typeof timeAxis.attrs.calendar === 'string' ? timeAxis.attrs.calendar : undefined } : undefined,
    dims,
    variables,
    // Results over the input's projected y/x axes keep its grid mapping.
    crs: ds instanceof NetcdfDataset && dims.some((d) => d.name === 'x') && dims.some((d) => d.name === 'y') ? ds.crs : undefined,
    history: o.history ?? `nunatak udf run ${o.udfName}`,
    attrs: { title: `nunatak UDF '${o.udfName}' results`, ...(ds instanceof NetcdfDataset ? { source: `${ds.path} variable ${ds.variable}` } : {}) },
    overwrite: o.overwrite,
  };
  return { writer, timeAxis, keys, dimsOf };
}
