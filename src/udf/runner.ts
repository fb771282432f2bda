/**
 * The caller side of a UDF run: validate, partition, negotiate tiles, scatter
 * the run once, run one task per partition through the executor, and merge
 * each partition's buffers as it arrives.
 */
import { NunatakError } from '../core/errors.js';
import { progress as progressBar, type Progress } from '../core/progress.js';
import type { Executor } from '../exec/contract.js';
import { registerLocal } from '../exec/load-entry.js';
import { checkWorkersCanImport } from '../exec/main-script.js';
import { checkAux, isAux } from './aux.js';
import { allocateBuffers, bufferAccessor, bufferLength, checkAssign, extraSize, type BufferSpec } from './buffer.js';
import type { Dataset } from './dataset/dataset.js';
import { inputDtype as resolveInputDtype } from './dtype.js';
import type { UDFMeta } from './meta.js';
import { makePartitions, partitionCount, type PartitionSlice } from './partition.js';
import { UDFResults } from './results.js';
import { UDF_TASK_ENTRY, type UdfRunParams, type UdfTaskResult } from './task.js';
import { negotiateTiling } from './tiling.js';
import { UDF, type Buffers, type UDFClass } from './udf.js';

export interface RunUdfOptions {
  /** Boolean mask over nav (flat, length = nav size; numbers/booleans accepted). */
  roi?: ArrayLike<number | boolean> | null;
  /** true: a progress bar (frames); or a callback (framesDone, framesTotal). */
  progress?: boolean | ((done: number, total: number) => void);
  /** Override tile shape: [depth, ...sigTile]. */
  tileShape?: number[];
  /** Override the number of partitions. */
  numPartitions?: number;
  /** Partition size in MiB of float32 pixels (default 512). */
  partitionMiB?: number;
  signal?: AbortSignal;
  /** Live hook: called with the partial results after every merge. */
  plots?: (partial: UDFResults[], damage: Uint8Array, info: MergeInfo) => void;
}

/** Which merge a `plots` call follows. */
export interface MergeInfo {
  /** Index of the partition just merged. */
  partition: number;
  /** Partitions merged so far (this one included), and in all. */
  merged: number;
  partitions: number;
  /** Frames (inside the ROI) merged so far, and in all. */
  frames: number;
  framesTotal: number;
}

export interface PartialResults {
  buffers: UDFResults[];
  /** Nav frames (flat, full nav) merged so far. */
  damage: Uint8Array;
}

interface Prepared {
  udf: UDF<any>;
  entry: string;
  specs: Record<string, BufferSpec>;
  buffers: Buffers;
}

export function normaliseRoi(roi: RunUdfOptions['roi'], ds: Dataset): Uint8Array | null {
  if (roi === undefined || roi === null) return null;
  if (typeof (roi as ArrayLike<unknown>).length !== 'number') throw new NunatakError('INPUT', 'ROI must be an array-like boolean mask over nav');
  if (roi.length !== ds.navSize) {
    throw new NunatakError('SHAPE', `ROI has ${roi.length} elements, expected one per nav position: navShape ${JSON.stringify(ds.navShape)} = ${ds.navSize}`);
  }
  const out = new Uint8Array(roi.length); // a copy: changing the caller's ROI later has no effect
  for (let i = 0; i < roi.length; i++) out[i] = roi[i] ? 1 : 0;
  return out;
}

function prepare(udf: UDF<any>, ds: Dataset, nRoi: number, meta: UDFMeta): Prepared {
  const cls = udf.constructor as UDFClass;
  const entry = cls.entry;
  if (!entry) {
    throw new NunatakError('PLUGIN', `UDF class ${cls.name} has no static entry, so workers cannot load it`, {
      hint: `add: static entry = udfEntry(import.meta.url, '${cls.name}')`,
    });
  }
  udf.getMethod();
  udf.meta = meta;
  for (const [k, v] of Object.entries(udf.params as object)) if (isAux(v)) checkAux(k, v, ds.navSize);
  const specs = udf.getResultBuffers();
  return { udf, entry, specs, buffers: allocateBuffers(specs, nRoi, ds.sigSize) };
}

/** Run UDFs over a dataset in one pass, yielding partial results after every merge. */
export async function* runUdfIter(
  executor: Executor,
  ds: Dataset,
  udfList: UDF<any>[],
  opts: RunUdfOptions = {},
): AsyncGenerator<PartialResults> {
  if (udfList.length === 0) throw new NunatakError('INPUT', 'runUdf needs at least one UDF');
  const roi = normaliseRoi(opts.roi, ds);
  const nRoi = roi ? roi.reduce((a, b) => a + b, 0) : ds.navSize;
  const sigSize = ds.sigSize;
  for (const u of udfList) if (!(u instanceof UDF)) throw new NunatakError('INPUT', `runUdf expects UDF instances, got ${typeof u}`);
  const inDtype = resolveInputDtype(
    ds.dtype,
    udfList.map((u) => u.preferredInputDtype()),
  );
  const nParts = opts.numPartitions ?? partitionCount(ds.navSize, sigSize, executor.workers, opts.partitionMiB);
  const parts = makePartitions(ds.navSize, nParts, roi);
  const scheme = negotiateTiling({
    methods: udfList.map((u) => u.getMethod()),
    prefs: udfList.map((u) => u.tilingPreferences()),
    sigShape: ds.sigShape,
    inputDtype: inDtype,
    maxPartitionFrames: Math.max(1, ...parts.map((p) => p.roiCount)),
    tileShape: opts.tileShape,
  });
  const damage = new Uint8Array(ds.navSize);
  const valid = new Uint8Array(nRoi);
  const metaFor = (count: number): UDFMeta => ({
    navShape: ds.navShape,
    sigShape: ds.sigShape,
    datasetDtype: ds.dtype,
    inputDtype: inDtype,
    roi,
    partitionShape: [count, ...ds.sigShape],
    slice: { start: 0, count },
    sigSlice: { origin: ds.sigShape.map(() => 0), shape: ds.sigShape },
    navIndices: new Int32Array(0),
    validNavMask: valid,
  });
  const prep = udfList.map((u) => prepare(u, ds, nRoi, { ...metaFor(nRoi), validNavMask: null }));
  for (const p of prep) {
    p.udf.meta = { ...metaFor(nRoi), validNavMask: null };
    p.udf.results = bufferAccessor(p.udf.constructor.name, p.specs, new Map(Object.entries(p.buffers)));
    p.udf.preprocess();
  }
  const snapshot = (): UDFResults[] =>
    prep.map((p) => new UDFResults({ udf: p.udf, specs: p.specs, buffers: p.buffers, meta: { ...metaFor(nRoi), validNavMask: valid.slice() }, nRoi, sigSize }));
  if (parts.length === 0) {
    yield { buffers: snapshot(), damage };
    return;
  }

  const params: UdfRunParams = {
    dataset: ds.describe(),
    roi,
    udfs: prep.map((p) => ({ entry: p.entry, params: p.udf.params as object })),
    scheme,
    inputDtype: inDtype,
  };
  // Inline runs use the classes in hand; workers of other executors import them — check they can, before scattering.
  for (const p of prep) registerLocal(p.entry, p.udf.constructor);
  checkWorkersCanImport(prep.map((p) => p.entry), executor.kind);
  const handle = await executor.scatter(params);
  const byIndex = new Map<number, PartitionSlice>(parts.map((p) => [p.index, p]));
  let bar: Progress | undefined;
  let done = 0;
  const onFrames = (n: number) => {
    done += n;
    if (typeof opts.progress === 'function') opts.progress(done, nRoi);
    bar?.update(done);
  };
  if (opts.progress === true) bar = progressBar('udf', nRoi, { unit: 'frames' });
  try {
    const tasks = parts.map((p) => ({ id: `partition-${p.index}`, entry: UDF_TASK_ENTRY, input: { part: p } }));
    const run = executor.runTasks<{ part: PartitionSlice }, UdfTaskResult>(tasks, handle, {
      signal: opts.signal,
      onProgress: opts.progress ? (_id, msg) => onFrames((msg as { frames: number }).frames) : undefined,
    });
    let merged = 0;
    let framesMerged = 0;
    for await (const { result } of run) {
      const part = byIndex.get(result.index)!;
      prep.forEach((p, i) => mergePartition(p, part, result.buffers[i], metaFor(part.roiCount), sigSize));
      for (let k = part.roiStart; k < part.roiStart + part.roiCount; k++) valid[k] = 1;
      for (let k = part.start; k < part.stop; k++) if (!roi || roi[k]) damage[k] = 1;
      const partial = { buffers: snapshot(), damage: damage.slice() };
      merged++;
      framesMerged += part.roiCount;
      opts.plots?.(partial.buffers, partial.damage, { partition: part.index, merged, partitions: parts.length, frames: framesMerged, framesTotal: nRoi });
      yield partial;
    }
  } finally {
    bar?.stop();
    await executor.drop?.(handle);
  }
}

function mergePartition(p: Prepared, part: PartitionSlice, src: Buffers, meta: UDFMeta, sigSize: number): void {
  const name = p.udf.constructor.name;
  const destViews = new Map<string, import('./dtype.js').TypedArray>();
  const srcViews = new Map<string, import('./dtype.js').TypedArray>();
  for (const [k, s] of Object.entries(p.specs)) {
    if (s.use === 'result_only') continue;
    const e = extraSize(s);
    const full = p.buffers[k];
    destViews.set(k, s.kind === 'nav' ? full.subarray(part.roiStart * e, (part.roiStart + part.roiCount) * e) : full);
    if (!(k in src)) throw new NunatakError('EXEC', `UDF ${name}: partition ${part.index} returned no buffer '${k}'`);
    srcViews.set(k, checkAssign(name, k, s, src[k], bufferLength(s, part.roiCount, sigSize)));
  }
  for (const k of Object.keys(src)) {
    if (!(k in p.specs) || p.specs[k].use === 'result_only') throw new NunatakError('CONFIG', `UDF ${name}: partition returned undeclared buffer '${k}'`);
  }
  p.udf.meta = { ...meta, slice: { start: part.roiStart, count: part.roiCount } };
  p.udf.merge(bufferAccessor(name, p.specs, destViews), bufferAccessor(name, p.specs, srcViews));
}

/** Run UDFs to completion; returns the final results (one per UDF). */
export async function runUdf(executor: Executor, ds: Dataset, udfs: UDF<any>[], opts: RunUdfOptions = {}): Promise<UDFResults[]> {
  let last: PartialResults | undefined;
  for await (const r of runUdfIter(executor, ds, udfs, opts)) last = r;
  return last!.buffers;
}

