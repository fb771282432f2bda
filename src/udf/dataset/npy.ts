/** A .npy file as a dataset: the last `sigDims` axes are the signal. */
import { resolve } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import { readNpyHeader } from '../npy.js';
import { RawDataset } from './raw.js';

export interface NpyDatasetOptions {
  path: string;
  /** Number of trailing axes forming the signal (default 2). */
  sigDims?: number;
  /** Override the nav shape (same number of frames), e.g. to reshape a flat scan. */
  navShape?: number[];
  syncOffset?: number;
}

export function openNpyDataset(o: NpyDatasetOptions): RawDataset {
  const path = resolve(o.path);
  const h = readNpyHeader(path);
  const sigDims = o.sigDims ?? 2;
  if (!Number.isInteger(sigDims) || sigDims < 1 || sigDims >= h.shape.length) {
    throw new NunatakError('SHAPE', `'${path}': sigDims ${sigDims} does not fit the array shape (${h.shape.join(', ')})`, {
      hint: 'need at least one nav axis and one signal axis',
    });
  }
  return new RawDataset({
    path,
    dtype: h.dtype,
    navShape: o.navShape ?? h.shape.slice(0, h.shape.length - sigDims),
    sigShape: h.shape.slice(h.shape.length - sigDims),
    offset: h.offset,
    syncOffset: o.syncOffset,
  });
}
