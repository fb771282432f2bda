/**
 * The executor task for UDF runs: one partition of one dataset through one or
 * more UDFs. Entry: "nunatak/udf/task.ts#runUdfPartition".
 */
import { NunatakError } from '../core/errors.js';
import type { TaskContext } from '../exec/contract.js';
import { loadEntry } from '../exec/load-entry.js';
import type { Dataset, DatasetDesc } from './dataset/dataset.js';
import { openDataset } from './dataset/open.js';
import type { DType } from './dtype.js';
import type { PartitionSlice } from './partition.js';
import { runPartition } from './part-runner.js';
import type { TilingScheme } from './tiling.js';
import type { Buffers, UDF, UDFClass } from './udf.js';

export const UDF_TASK_ENTRY = 'nunatak/udf/task.ts#runUdfPartition';

/** Broadcast once per run (scatter). */
export interface UdfRunParams {
  dataset: DatasetDesc;
  roi: Uint8Array | null;
  udfs: Array<{ entry: string; params: object }>;
  scheme: TilingScheme;
  inputDtype: DType;
}

export interface UdfTaskResult {
  index: number;
  buffers: Buffers[];
}

const datasets = new WeakMap<object, Dataset>();

export async function runUdfPartition(input: { part: PartitionSlice }, ctx: TaskContext<UdfRunParams>): Promise<UdfTaskResult> {
  const p = ctx.params;
  let ds = datasets.get(p);
  if (!ds) {
    ds = await openDataset(p.dataset);
    datasets.set(p, ds);
  }
  const udfs: UDF<any>[] = [];
  for (const u of p.udfs) {
    const Cls = await loadEntry<UDFClass>(u.entry);
    if (typeof Cls !== 'function') throw new NunatakError('PLUGIN', `UDF entry '${u.entry}' is not a class`);
    udfs.push(new Cls(u.params));
  }
  const buffers = await runPartition({ dataset: ds, roi: p.roi, udfs, scheme: p.scheme, inputDtype: p.inputDtype, part: input.part }, ctx);
  return { index: input.part.index, buffers };
}
