/** A .npy file as a dataset: the last `sigDims` axes are the signal. */
import { resolve } from 'node:path';
import { NunatakError } from '../../core/errors.js';
import { readNpyHeader } from '../../io/npy/index.js';
import { DTYPES, type DType } from '../dtype.js';
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
  if (h.bigEndian && h.dtype !== 'bool' && !h.dtype.endsWith('int8')) {
    throw new NunatakError('DTYPE', `'${path}': big-endian .npy data is not read in place`, { hint: "save it little-endian: np.save(path, a.astype(a.dtype.newbyteorder('<')))" });
  }
  if (!(DTYPES as readonly string[]).includes(h.dtype)) {
    throw new NunatakError('DTYPE', `'${path}': .npy dtype ${h.dtype} is not a UDF dataset dtype`, { hint: `supported: ${DTYPES.join(', ')}` });
  }
  return new RawDataset({
    path,
    dtype: h.dtype as DType,
    navShape: o.navShape ?? h.shape.slice(0, h.shape.length - sigDims),
    sigShape: h.shape.slice(h.shape.length - sigDims),
    offset: h.dataOffset,
    syncOffset: o.syncOffset,
  });
}
