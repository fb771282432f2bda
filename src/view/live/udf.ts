/**
 * Publish a UDF run to a LiveHub: a `run` event, then after every merged
 * partition a `merge` event (progress = frames merged / frames in the ROI)
 * with the buffers' snapshots (nav positions not merged yet are NaN, so a map
 * fills in partition by partition), then `done` with the returned results.
 */
import { NetcdfDataset } from '../../udf/dataset/netcdf.js';
import { datasetAxes, resultUnits } from '../../udf/results-layout.js';
import type { Dataset } from '../../udf/dataset/dataset.js';
import type { ResultBuffer, UDFResults } from '../../udf/results.js';
import type { MergeInfo } from '../../udf/runner.js';
import type { VarMeta } from '../protocol.js';
import type { LiveHub } from './hub.js';

export interface UdfLive {
  /** RunUdfOptions.plots: call after every merge. */
  plots(partial: UDFResults[], damage: Uint8Array, info: MergeInfo): void;
  /** The run returned `results`: publish them and `done`. */
  finish(results: UDFResults): void;
  /** The run failed. */
  fail(e: unknown): void;
}

/** Float32 copy of `r.data`; with `damage`, nav positions not yet merged are NaN. */
function values(r: ResultBuffer, damage?: Uint8Array): Float32Array {
  const out = Float32Array.from(r.data as ArrayLike<number>);
  if (damage && r.kind === 'nav') {
    const e = out.length / damage.length;
    for (let i = 0; i < damage.length; i++) if (!damage[i]) out.fill(NaN, i * e, (i + 1) * e);
  }
  return out;
}

/** Start publishing a run of UDF `udfName` over `ds` (`frames` = frames inside the ROI). */
export function publishUdfRun(hub: LiveHub, ds: Dataset, udfName: string, title: string, frames: number): UdfLive {
  const t0 = performance.now();
  const { nav, sig } = datasetAxes(ds);
  for (const a of [...nav, ...sig]) {
    if (a.values) hub.coords[a.name] = { values: Array.from(a.values), units: typeof a.attrs.units === 'string' ? a.attrs.units : undefined };
  }
  const metaOf = (k: string, r: ResultBuffer): VarMeta => {
    const base = r.kind === 'nav' ? nav : r.kind === 'sig' ? sig : [];
    const dims = [...base.map((a) => a.name), ...r.extraShape.map((_, d) => `${k}_dim${d}`)];
    const shape = r.shape;
    if (dims.length < shape.length) dims.push(`${k}_dim0`); // a single value: shape [1]
    // maps over the last two nav (or sig) axes, not over a buffer's extra axes
    const n = base.length >= 2 ? base.length : dims.length;
    const attrs: VarMeta['attrs'] = { long_name: `${udfName} ${k} (${r.kind} result)`, nunatak_buffer_kind: r.kind };
    const units = resultUnits(r.units, ds instanceof NetcdfDataset ? ds.units : undefined);
    if (units) attrs.units = units;
    return { name: k, dtype: 'float32', dims, shape, attrs, map: n >= 2 ? { y: n - 2, x: n - 1 } : undefined };
  };
  const store = (res: UDFResults, damage?: Uint8Array): VarMeta[] =>
    res.keys().map((k) => {
      const r = res.get(k);
      const meta = metaOf(k, r);
      hub.setBuffer({ meta, data: values(r, damage) });
      return meta;
    });
  hub.publish('run', { kind: 'udf', title, frames });
  return {
    plots(partial, damage, info) {
      const buffers = store(partial[0], damage);
      const progress = info.framesTotal > 0 ? info.frames / info.framesTotal : 1;
      hub.publish('merge', { partition: info.partition, merged: info.merged, partitions: info.partitions, frames: info.frames, framesTotal: info.framesTotal, progress, buffers });
    },
    finish(results) {
      const buffers = store(results);
      hub.publish('done', { progress: 1, seconds: (performance.now() - t0) / 1000, buffers });
    },
    fail(e) {
      hub.publish('error', { message: (e as Error)?.message ?? String(e), code: (e as { code?: string })?.code });
    },
  };
}
