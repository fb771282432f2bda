/**
 * `nunatak inspect` implementation: an `ncdump -h`-like summary of a NetCDF3,
 * NetCDF4/HDF5, .npy or GeoTIFF file, detected from its magic bytes, optional
 * statistics of one variable, and a PNG map of one 2-D slice.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { NunatakError } from '../../core/errors.js';
import { openDataset, type Dataset } from '../netcdf/dataset.js';
import { describeDataset } from '../netcdf/describe.js';
import { decodedPrecision } from '../netcdf/cf-decode.js';
import { readNpy, readNpyHeader } from '../npy/npy.js';

export type FileKind = 'netcdf' | 'npy' | 'geotiff' | 'unknown';

export function fileKind(path: string): FileKind {
  if (!existsSync(path)) throw new NunatakError('NOT_FOUND', `${path}: no such file`);
  if (statSync(path).isDirectory()) throw new NunatakError('IO', `${path}: is a directory, expected a file`);
  const fd = openSync(path, 'r');
  const b = Buffer.alloc(8);
  const n = readSync(fd, b, 0, 8, 0);
  closeSync(fd);
  const s = b.toString('latin1', 0, n);
  if (s.startsWith('CDF') || s === '\x89HDF\r\n\x1a\n') return 'netcdf';
  if (s.startsWith('\x93NUMPY')) return 'npy';
  if (s.startsWith('II*\0') || s.startsWith('MM\0*') || s.startsWith('II+\0') || s.startsWith('MM\0+')) return 'geotiff';
  return 'unknown';
}

export interface Stats {
  count: number;
  nan: number;
  min: number;
  max: number;
  mean: number;
}

/** Running min / max / mean / NaN count. */
class Acc {
  count = 0;
  nan = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  add(a: ArrayLike<number>): void {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (Number.isNaN(x)) {
        this.nan++;
        continue;
      }
      this.count++;
      this.sum += x;
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
    }
  }
  stats(): Stats {
    return { count: this.count, nan: this.nan, min: this.min, max: this.max, mean: this.count ? this.sum / this.count : NaN };
  }
}

/** Statistics of a CF-decoded variable, read one slab along the first dimension at a time. */
export function variableStats(ds: Dataset, name: string): Stats {
  const v = ds.variable(name);
  const acc = new Acc();
  if (v.shape.length === 0) acc.add(ds.read(name).data);
  else {
    for (let k = 0; k < v.shape[0]; k++) {
      acc.add(ds.read(name, { start: v.shape.map((_, d) => (d === 0 ? k : 0)), count: v.shape.map((n, d) => (d === 0 ? 1 : n)) }).data);
    }
  }
  return acc.stats();
}

/** One line of statistics; `digits` significant digits (7 suits float32 data). */
export function formatStats(name: string, s: Stats, units?: string, digits = 15): string {
  const u = units ? ` ${units}` : '';
  const f = (x: number) => String(Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);
  return `${name}: ${s.count} values, ${s.nan} NaN; min ${f(s.min)}${u}, max ${f(s.max)}${u}, mean ${f(s.mean)}${u}`;
}

export interface InspectOptions {
  /** Also print statistics of this variable (NetCDF) or of the array (npy). */
  stats?: string | boolean;
}

/** The summary text for a file. */
export async function inspectFile(path: string, o: InspectOptions = {}): Promise<string> {
  const kind = fileKind(path);
  if (kind === 'netcdf') {
    const ds = await openDataset(path);
    try {
      const out = [describeDataset(ds)];
      if (typeof o.stats === 'string') {
        const v = ds.variable(o.stats);
        out.push(formatStats(o.stats, variableStats(ds, o.stats), String(v.attrs.units ?? ''), decodedPrecision(v) === 'float32' ? 7 : 15));
      }
      return out.join('\n');
    } finally {
      ds.close();
    }
  }
  if (kind === 'npy') {
    const h = readNpyHeader(path);
    const n = h.shape.reduce((a, b) => a * b, 1);
    const lines = [
      `npy ${path} {`,
      `// format: npy ${h.version}, ${h.bigEndian ? 'big' : 'little'}-endian, C order`,
      `\t${h.dtype} array(${h.shape.join(', ')}) ; // ${n} values`,
      '}',
    ];
    if (o.stats) {
      const a = readNpy(path);
      const acc = new Acc();
      acc.add(a.data instanceof BigInt64Array || a.data instanceof BigUint64Array ? Array.from(a.data, Number) : (a.data as ArrayLike<number>));
      lines.push(formatStats('array', acc.stats(), undefined, a.dtype === 'float32' ? 7 : 15));
    }
    return lines.join('\n');
  }
  if (kind === 'geotiff') {
    const { readGeoTiff } = await import('../geo/geotiff.js');
    const r = await readGeoTiff(path);
    const g = r.field.grid;
    const lines = [
      `geotiff ${path} {`,
      `// georeferencing: ${r.georef}; CRS: ${r.crs ?? 'unknown'}`,
      `	size: x = ${g.nx}, y = ${g.ny}`,
      `	geotransform: [${r.transform.join(', ')}]`,
      `	cell centres: x = ${g.x0} + i·${g.dx}, y = ${g.y0} + j·${g.dy}`,
      `	nodata: ${r.nodata ?? 'none'}`,
      '}',
    ];
    if (o.stats) {
      const acc = new Acc();
      acc.add(r.field.data);
      lines.push(formatStats('band 1', acc.stats(), undefined, 7));
    }
    return lines.join('\n');
  }
  throw new NunatakError('IO', `${path}: unsupported file type`, {
    hint: 'inspect reads NetCDF3, NetCDF4/HDF5, .npy and GeoTIFF files',
  });
}

export interface PlotOptions {
  /** Variable to map (NetCDF); ignored for GeoTIFF (band 1). */
  variable?: string;
  /** Index along the leading time/level axis of a 3-D variable (default 0). */
  time?: number;
  /** Colormap name (default viridis; terrain suits elevations). */
  colormap?: string;
}

/**
 * Render one 2-D slice of a NetCDF variable or a GeoTIFF band to a PNG map with
 * colorbar, units and title. Returns the PNG bytes.
 */
export async function plotFile(path: string, o: PlotOptions = {}): Promise<Buffer> {
  const kind = fileKind(path);
  const { renderMap } = await import('../plot/map.js');
  if (kind === 'geotiff') {
    const { readGeoTiff } = await import('../geo/geotiff.js');
    const r = await readGeoTiff(path);
    return renderMap({ field: r.field, title: `${path.split('/').pop()} (band 1)`, colormap: o.colormap ?? 'terrain', hillshade: true }).png;
  }
  if (kind !== 'netcdf') {
    throw new NunatakError('IO', `${path}: --plot needs a NetCDF or GeoTIFF file`, { hint: 'npy arrays carry no grid; convert to NetCDF first' });
  }
  if (!o.variable) throw new NunatakError('INPUT', `${path}: --plot needs a variable name`, { hint: 'nunatak inspect FILE --plot VAR [--time i]' });
  const { readField } = await import('../netcdf/field-io.js');
  const ds = await openDataset(path);
  try {
    const v = ds.variable(o.variable);
    const t = o.time ?? 0;
    const is3d = v.shape.length === 3;
    if (is3d && !(Number.isInteger(t) && t >= 0 && t < v.shape[0])) {
      throw new NunatakError('INPUT', `${path}: --time ${t} is outside variable '${o.variable}' (${v.dims[0]} has ${v.shape[0]} entries)`, {
        hint: `use 0…${v.shape[0] - 1}`,
      });
    }
    const field = readField(ds, o.variable, is3d ? { index: t } : {});
    const title = `${field.longName ?? o.variable}${is3d ? ` (${v.dims[0]} index ${t})` : ''}`;
    return renderMap({ field, title, colormap: o.colormap }).png;
  } finally {
    ds.close();
  }
}
