/**
 * Runs a set of UDFs over one partition (on a worker): read frame blocks,
 * cut them into tiles, call each UDF's method with the matching buffer views,
 * postprocess, and return the partition buffers.
 */
import { NunatakError } from '../core/errors.js';
import type { TaskContext } from '../exec/contract.js';
import { isAux, sliceAux, type AuxData } from './aux.js';
import { copyRegion } from './block.js';
import { allocateBuffers, bufferAccessor, extraSize, type BufferSpec } from './buffer.js';
import type { Dataset } from './dataset/dataset.js';
import { allocate, type DType, type TypedArray } from './dtype.js';
import type { UDFMeta } from './meta.js';
import type { PartitionSlice } from './partition.js';
import { prod } from './shape.js';
import { sigTileOrigins, type TilingScheme } from './tiling.js';
import type { Buffers, ProcessMethod, ProcessMethods, Tile, UDF } from './udf.js';

export interface PartitionRun {
  dataset: Dataset;
  roi: Uint8Array | null;
  udfs: UDF<any>[];
  scheme: TilingScheme;
  inputDtype: DType;
  part: PartitionSlice;
}

interface UdfState {
  udf: UDF<any>;
  name: string;
  method: ProcessMethod;
  specs: Record<string, BufferSpec>;
  buffers: Buffers;
  views: Map<string, TypedArray>;
  rawParams: Record<string, unknown>;
  auxKeys: string[];
}

/** Nav indices of the partition's frames under the ROI. */
export function framesOf(part: PartitionSlice, roi: Uint8Array | null): Int32Array {
  const out = new Int32Array(part.roiCount);
  let k = 0;
  for (let i = part.start; i < part.stop; i++) if (!roi || roi[i]) out[k++] = i;
  return out;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export async function runPartition(run: PartitionRun, ctx?: Pick<TaskContext, 'progress' | 'signal'>): Promise<Buffers[]> {
  const { dataset, roi, scheme, inputDtype, part } = run;
  const sig = dataset.sigShape;
  const sigSize = prod(sig);
  const frames = framesOf(part, roi);
  const nf = frames.length;
  const base = {
    navShape: dataset.navShape,
    sigShape: sig,
    datasetDtype: dataset.dtype,
    inputDtype,
    roi,
    partitionShape: [nf, ...sig],
    validNavMask: null,
  };
  const fullSig = { origin: sig.map(() => 0), shape: sig };
  const states: UdfState[] = run.udfs.map((udf) => {
    udf.meta = { ...base, slice: { start: part.roiStart, count: nf }, sigSlice: fullSig, navIndices: frames };
    const specs = udf.getResultBuffers();
    const buffers = allocateBuffers(specs, nf, sigSize);
    const rawParams = udf.params as Record<string, unknown>;
    const st: UdfState = {
      udf,
      name: udf.constructor.name,
      method: udf.getMethod(),
      specs,
      buffers,
      views: new Map(Object.entries(buffers)),
      rawParams,
      auxKeys: Object.keys(rawParams).filter((k) => isAux(rawParams[k])),
    };
    udf.results = bufferAccessor(st.name, specs, st.views);
    return st;
  });

  const setCall = (st: UdfState, local: number, count: number, sigSlice: { origin: number[]; shape: number[] }): void => {
    const navIndices = frames.subarray(local, local + count);
    const meta: UDFMeta = { ...base, slice: { start: part.roiStart + local, count }, sigSlice, navIndices };
    st.udf.meta = meta;
    if (st.auxKeys.length > 0) {
      const p: Record<string, unknown> = { ...st.rawParams };
      for (const k of st.auxKeys) p[k] = sliceAux(st.rawParams[k] as AuxData, navIndices);
      st.udf.params = p;
    }
    for (const [name, s] of Object.entries(st.specs)) {
      if (s.use === 'result_only' || s.kind !== 'nav') continue;
      const e = extraSize(s);
      st.views.set(name, st.buffers[name].subarray(local * e, (local + count) * e));
    }
  };
  const resetViews = (st: UdfState) => {
    for (const [name, b] of Object.entries(st.buffers)) st.views.set(name, b);
  };

  for (const st of states) {
    setCall(st, 0, nf, fullSig);
    await st.udf.setup();
    st.udf.taskData = st.udf.getTaskData();
    st.udf.preprocess();
  }

  const depth = Math.max(1, scheme.depth);
  const native = allocate(dataset.dtype, Math.min(depth, nf) * sigSize);
  const converted = inputDtype === dataset.dtype ? null : allocate(inputDtype, native.length);
  const splitSig = scheme.sigTile.some((t, i) => t !== sig[i]);
  const origins = sigTileOrigins(sig, scheme.sigTile);
  const tileBuf = splitSig ? allocate(inputDtype, Math.min(depth, nf) * prod(scheme.sigTile)) : null;
  const sigCaches = new Map<string, TypedArray>();
  let last = Date.now();
  let pending = 0;

  for (let b = 0; b < nf; b += depth) {
    const d = Math.min(depth, nf - b);
    // Read the block's frames, one contiguous run of nav indices at a time.
    let k = 0;
    while (k < d) {
      let run = 1;
      while (k + run < d && frames[b + k + run] === frames[b + k] + run) run++;
      dataset.readFrames(frames[b + k], run, native, k * sigSize);
      k += run;
    }
    let block: TypedArray = native;
    if (converted) {
      (converted as Float64Array).set(native as unknown as Float64Array);
      block = converted;
    }
    const blockData = block.subarray(0, d * sigSize);

    for (const origin of origins) {
      const shape = sig.map((s, i) => Math.min(scheme.sigTile[i], s - origin[i]));
      let data = blockData;
      if (splitSig) {
        const tsize = prod(shape);
        data = tileBuf!.subarray(0, d * tsize);
        for (let f = 0; f < d; f++) copyRegion(blockData, sig, origin, shape, data, 1, false, f * sigSize, f * tsize);
      }
      const tile: Tile = { data, depth: d, sigOrigin: origin, sigShape: shape };
      for (const st of states) {
        if (st.method !== 'tile') continue;
        setCall(st, b, d, { origin, shape });
        // sig buffers: the tile's part, copied out and written back when the tile splits the signal.
        const back: Array<[string, TypedArray, number]> = [];
        for (const [name, s] of Object.entries(st.specs)) {
          if (s.kind !== 'sig' || s.use === 'result_only') continue;
          if (!splitSig) {
            st.views.set(name, st.buffers[name]);
            continue;
          }
          const e = extraSize(s);
          const len = prod(shape) * e;
          const key = `${st.name}:${name}`;
          let cache = sigCaches.get(key);
          if (!cache || cache.length < len) sigCaches.set(key, (cache = allocate(s.dtype, prod(scheme.sigTile) * e)));
          const view = cache.subarray(0, len);
          copyRegion(st.buffers[name], sig, origin, shape, view, e, false);
          st.views.set(name, view);
          back.push([name, view, e]);
        }
        (st.udf as ProcessMethods).processTile!(tile);
        for (const [name, view, e] of back) copyRegion(st.buffers[name], sig, origin, shape, view, e, true);
      }
    }
    for (const st of states) {
      if (st.method === 'frame') {
        for (let f = 0; f < d; f++) {
          setCall(st, b + f, 1, fullSig);
          (st.udf as ProcessMethods).processFrame!(blockData.subarray(f * sigSize, (f + 1) * sigSize));
        }
      } else if (st.method === 'partition') {
        if (d !== nf) throw new NunatakError('EXEC', `internal: partition UDF ${st.name} got a block of ${d} of ${nf} frames`);
        setCall(st, 0, nf, fullSig);
        (st.udf as ProcessMethods).processPartition!({ data: blockData, depth: d, sigOrigin: fullSig.origin, sigShape: sig });
      }
    }
    pending += d;
    const now = Date.now();
    if (now - last > 100) {
      ctx?.progress({ frames: pending });
      pending = 0;
      last = now;
      await yieldToLoop();
      if (ctx?.signal.aborted) throw new NunatakError('CANCELLED', `partition ${part.index} cancelled`);
    }
  }
  if (pending > 0) ctx?.progress({ frames: pending });
  const out: Buffers[] = [];
  for (const st of states) {
    setCall(st, 0, nf, fullSig);
    resetViews(st);
    for (const [name, s] of Object.entries(st.specs)) if (s.kind === 'nav' && s.use !== 'result_only') st.views.set(name, st.buffers[name]);
    st.udf.postprocess();
    st.udf.params = st.rawParams;
    out.push(st.buffers);
  }
  return out;
}
