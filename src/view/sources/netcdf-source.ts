/** NetCDF3 / NetCDF4 / HDF5 files through nunatak's reader (positioned reads, h5wasm slices). */
import { crsOf, findXY, formatCfDate, openDataset, type Dataset } from '../../io/index.js';
import type { CoordMeta, VarMeta } from '../protocol.js';
import { crsMeta } from './crs-meta.js';
import { jsonAttrs, type ViewSource } from './source.js';

/** Coordinate arrays longer than this are not sent with the metadata. */
const MAX_COORD = 100_000;

function mapAxes(ds: Dataset, name: string, nd: number): VarMeta['map'] {
  if (nd < 2) return undefined;
  try {
    const c = findXY(ds, name);
    return { y: c.yAxis, x: c.xAxis };
  } catch {
    return { y: nd - 2, x: nd - 1 };
  }
}

export async function openNetcdfSource(path: string): Promise<ViewSource> {
  const ds = await openDataset(path);
  try {
    const vars: VarMeta[] = ds.vars
      .filter((v) => v.dtype !== 'char' && v.dtype !== 'string')
      .map((v) => {
        const gm = v.attrs.grid_mapping;
        const crs = typeof gm === 'string' && ds.has(gm) ? crsMeta(crsOf(ds, gm), `${path}: ${gm}`) : undefined;
        return { name: v.name, dtype: v.dtype, dims: v.dims, shape: v.shape, attrs: jsonAttrs(v.attrs), map: mapAxes(ds, v.name, v.shape.length), crs };
      });
    return {
      kind: 'netcdf',
      format: ds.format,
      attrs: jsonAttrs(ds.attrs),
      dims: ds.dims.map((d) => ({ name: d.name, size: d.size })),
      vars,
      coords() {
        const out: Record<string, CoordMeta> = {};
        for (const d of ds.dims) {
          if (!ds.has(d.name) || d.size > MAX_COORD) continue;
          const v = ds.variable(d.name);
          if (v.shape.length !== 1 || v.dtype === 'char' || v.dtype === 'string') continue;
          const units = typeof v.attrs.units === 'string' ? v.attrs.units : undefined;
          const c: CoordMeta = { values: Array.from(ds.read(d.name, undefined, 'float64').data), units };
          if (units && / since /.test(units)) {
            try {
              c.labels = ds.readTimes(d.name).map((t) => (t ? formatCfDate(t) : ''));
            } catch {
              // not a decodable CF time: show the numbers
            }
          }
          out[d.name] = c;
        }
        return out;
      },
      read: (name, start, count) => ds.read(name, { start, count }).data,
      close: () => ds.close(),
    };
  } catch (e) {
    ds.close();
    throw e;
  }
}
