/**
 * `nunatak udf run`: open a dataset, build the UDF (built-in name or
 * "./file.ts#Export"), run it on the chosen executor with a progress bar, and
 * write the results as one NetCDF4 file (and, with --zarr, one zarr store) and
 * one .npy per buffer (plus PNGs of 2-D results, refreshed live).
 */
import { join, resolve } from 'node:path';
import { prepareOutDir } from '../core/out-path.js';
import { NunatakError, didYouMean } from '../core/errors.js';
import { log } from '../core/log.js';
import { createExecutor, type ExecutorKind } from '../exec/create.js';
import { loadEntry } from '../exec/load-entry.js';
import { BUILTIN_UDFS } from './builtins/index.js';
import { denseMasks, diskMask, ringMask } from './builtins/masks.js';
import { Context } from './context.js';
import type { Dataset } from './dataset/dataset.js';
import { openNpyDataset } from './dataset/npy.js';
import { RawDataset } from './dataset/raw.js';
import { checkDtype } from './dtype.js';
import { readNpy, writeNpy } from '../io/npy/index.js';
import { sniffFormat } from '../io/netcdf/index.js';
import type { ZarrFormat } from '../io/zarr/index.js';
import { writeResultsNetcdf } from './write-netcdf.js';
import { writeResultsZarr } from './write-zarr.js';
import { writePng2d } from './png.js';
import type { UDFResults } from './results.js';
import type { UDF, UDFClass } from './udf.js';
import { openLiveView, type LiveViewFlags } from '../view/live/session.js';
import { publishUdfRun } from '../view/live/udf.js';

export interface UdfRunCli extends LiveViewFlags {
  udf: string;
  dataset: string;
  navShape?: string;
  sigShape?: string;
  sigDims?: string;
  variable?: string;
  dtype?: string;
  offset?: string;
  syncOffset?: string;
  params?: string;
  disk?: string[];
  ring?: string[];
  roi?: string;
  executor: string;
  workers?: string;
  redis?: string;
  partitionMib?: string;
  out: string;
  png?: boolean;
  /** Also write `<out>/<udf>.nc` (default true; `--no-netcdf` turns it off). */
  netcdf?: boolean;
  /** Also write `<out>/<udf>.zarr` (the same results and metadata as the NetCDF file). */
  zarr?: boolean;
  /** Zarr format of `--zarr`: '2' (default; xarray with zarr-python 2 reads it) or '3'. */
  zarrFormat?: string;
  progress?: boolean;
}

function ints(s: string | undefined, what: string): number[] | undefined {
  if (s === undefined) return undefined;
  const v = s.split(/[,x]/).map((t) => Number(t.trim()));
  if (v.length === 0 || v.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new NunatakError('CONFIG', `--${what} must be comma-separated integers, got '${s}'`);
  }
  return v;
}

function numbers(s: string, what: string, n: number): number[] {
  const v = s.split(',').map(Number);
  if (v.length !== n || v.some((x) => !Number.isFinite(x))) throw new NunatakError('CONFIG', `--${what} needs ${n} comma-separated numbers, got '${s}'`);
  return v;
}

export async function openDatasetFromCli(o: UdfRunCli): Promise<Dataset> {
  const path = resolve(o.dataset);
  if (o.variable || /\.(nc|nc4|cdf|h5|hdf5)$/.test(path)) {
    if (!o.variable) {
      sniffFormat(path); // a missing or non-NetCDF file is reported first
      throw new NunatakError('CONFIG', `'${path}' looks like NetCDF: name the variable with --variable`);
    }
    const { NetcdfDataset } = await import('./dataset/netcdf.js');
    return NetcdfDataset.open({ path, variable: o.variable, sigDims: o.sigDims ? Number(o.sigDims) : undefined, syncOffset: o.syncOffset ? Number(o.syncOffset) : undefined });
  }
  if (path.endsWith('.npy')) {
    return openNpyDataset({ path, sigDims: o.sigDims ? Number(o.sigDims) : undefined, navShape: ints(o.navShape, 'nav-shape'), syncOffset: o.syncOffset ? Number(o.syncOffset) : undefined });
  }
  const navShape = ints(o.navShape, 'nav-shape');
  const sigShape = ints(o.sigShape, 'sig-shape');
  if (!navShape || !sigShape || !o.dtype) {
    throw new NunatakError('CONFIG', `raw dataset '${path}' needs --nav-shape, --sig-shape and --dtype`, { hint: 'e.g. --nav-shape 128,128 --sig-shape 128,128 --dtype float32' });
  }
  return new RawDataset({ path, dtype: checkDtype(o.dtype, '--dtype'), navShape, sigShape, offset: o.offset ? Number(o.offset) : 0, syncOffset: o.syncOffset ? Number(o.syncOffset) : 0 });
}

async function makeUdf(o: UdfRunCli, ds: Dataset): Promise<UDF<any>> {
  let params: Record<string, unknown> = {};
  if (o.params) {
    try {
      params = JSON.parse(o.params) as Record<string, unknown>;
    } catch (e) {
      throw new NunatakError('CONFIG', `--params must be a JSON object: ${(e as Error).message}`);
    }
  }
  let Cls: UDFClass;
  if (o.udf.includes('#') || o.udf.endsWith('.ts') || o.udf.startsWith('.') || o.udf.startsWith('/')) {
    Cls = await loadEntry<UDFClass>(o.udf, { type: 'class', methods: ['getResultBuffers'] });
    // A user class may omit its static entry on the command line: it is this one.
    if (!Cls.entry) Cls.entry = o.udf.startsWith('.') ? resolve(o.udf.split('#')[0]) + '#' + (o.udf.split('#')[1] ?? 'default') : o.udf;
  } else {
    const load = BUILTIN_UDFS[o.udf];
    if (!load) throw new NunatakError('NOT_FOUND', `unknown UDF '${o.udf}'${didYouMean(o.udf, Object.keys(BUILTIN_UDFS))}`, { hint: `built-ins: ${Object.keys(BUILTIN_UDFS).join(', ')}; or ./file.ts#Export` });
    Cls = await load();
  }
  if (o.udf === 'masks') {
    const list = [
      ...(o.disk ?? []).map((d) => diskMask(ds.sigShape, ...(numbers(d, 'disk', 3) as [number, number, number]))),
      ...(o.ring ?? []).map((d) => ringMask(ds.sigShape, ...(numbers(d, 'ring', 4) as [number, number, number, number]))),
    ];
    if (list.length === 0) throw new NunatakError('CONFIG', 'udf masks needs at least one --disk cy,cx,r or --ring cy,cx,ri,ro');
    params = { ...params, masks: denseMasks(list) };
  }
  return new Cls(params);
}

/** The zarr format of --zarr-format (2 or 3); undefined without --zarr. */
function zarrFormat(o: UdfRunCli): ZarrFormat | undefined {
  if (!o.zarr) {
    if (o.zarrFormat !== undefined) throw new NunatakError('CONFIG', '--zarr-format needs --zarr');
    return undefined;
  }
  const f = o.zarrFormat ?? '2';
  if (f !== '2' && f !== '3') throw new NunatakError('CONFIG', `--zarr-format must be 2 or 3, got '${f}'`, { hint: '2: read by xarray.open_zarr with zarr-python 2; 3: zarr v3 readers only' });
  return Number(f) as ZarrFormat;
}

async function writeResults(results: UDFResults, ds: Dataset, udfName: string, prefix: string, png: boolean, nc: boolean, zarr: ZarrFormat | undefined): Promise<string[]> {
  const written: string[] = [];
  const stem = prefix.replace(/_$/, '');
  const meta = { udfName, history: `nunatak ${process.argv.slice(2).join(' ')}`, overwrite: true };
  if (nc) {
    await writeResultsNetcdf(`${stem}.nc`, results, ds, meta);
    written.push(`${stem}.nc`);
  }
  if (zarr) {
    await writeResultsZarr(`${stem}.zarr`, results, ds, { ...meta, zarrFormat: zarr });
    written.push(`${stem}.zarr`);
  }
  for (const k of results.keys()) {
    const r = results.get(k);
    const file = `${prefix}${k}.npy`;
    writeNpy(file, r.data, r.shape, r.dtype);
    written.push(file);
    if (png && r.shape.filter((s) => s > 1).length === 2) {
      writePng2d(`${prefix}${k}.png`, r.data, r.shape);
      written.push(`${prefix}${k}.png`);
    }
  }
  return written;
}

export async function udfRunCli(o: UdfRunCli): Promise<string[]> {
  const zarr = zarrFormat(o);
  const ds = await openDatasetFromCli(o);
  const udf = await makeUdf(o, ds);
  let roi: Uint8Array | undefined;
  if (o.roi) {
    roi = Uint8Array.from(readNpy(resolve(o.roi)).data as ArrayLike<number | bigint> as ArrayLike<number>, (v) => (v ? 1 : 0));
  }
  // a bad -o is reported before any worker starts
  const outDir = prepareOutDir(o.out, { what: 'udf output folder' });
  const ex = await createExecutor({ kind: o.executor as ExecutorKind, workers: o.workers ? Number(o.workers) : undefined, redis: o.redis });
  const ctx = new Context(ex);
  const udfName = o.udf.includes('#') ? o.udf.split('#')[1] : o.udf;
  const prefix = join(outDir, `${udfName}_`);
  let lastPlot = 0;
  let written: string[];
  let live;
  try {
    live = await openLiveView(o, [outDir], `udf ${udfName}`);
    const pub = live && publishUdfRun(live.hub, ds, udfName, `udf ${udfName} on ${o.dataset}`, roi ? roi.reduce((a, b) => a + b, 0) : ds.navSize);
    const results = await ctx
      .runUdf(ds, udf, {
        roi,
        progress: o.progress !== false,
        partitionMiB: o.partitionMib ? Number(o.partitionMib) : undefined,
        plots: (partial, damage, info) => {
          pub?.plots(partial, damage, info);
          // Live plot: refresh the PNGs at most once a second.
          if (!o.png || Date.now() - lastPlot < 1000) return;
          lastPlot = Date.now();
          for (const k of partial[0].keys()) {
            const r = partial[0].get(k);
            if (r.shape.filter((s) => s > 1).length === 2) writePng2d(`${prefix}${k}.png`, r.data, r.shape);
          }
        },
      })
      .catch((e: unknown) => {
        pub?.fail(e);
        throw e;
      });
    pub?.finish(results);
    written = await writeResults(results, ds, udfName, prefix, !!o.png, o.netcdf !== false, zarr);
    log.info(`wrote ${written.length} files to ${outDir}`, { files: written, folder: outDir });
  } catch (e) {
    await live?.server.close();
    throw e;
  } finally {
    await ctx.close();
  }
  await live?.hold();
  return written;
}
