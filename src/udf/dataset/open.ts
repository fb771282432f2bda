/** Re-open a dataset from its description (on a worker). */
import { NunatakError } from '../../core/errors.js';
import type { DType, TypedArray } from '../dtype.js';
import type { Dataset, DatasetDesc } from './dataset.js';
import { MemoryDataset } from './memory.js';
import { RawDataset } from './raw.js';

export async function openDataset(d: DatasetDesc): Promise<Dataset> {
  switch (d.kind) {
    case 'memory':
      return new MemoryDataset({ data: d.data as TypedArray, navShape: d.navShape, sigShape: d.sigShape, syncOffset: d.syncOffset, dtype: d.dtype as DType });
    case 'raw':
      return new RawDataset({
        path: d.path as string,
        dtype: d.dtype as DType,
        navShape: d.navShape,
        sigShape: d.sigShape,
        offset: d.offset as number,
        syncOffset: d.syncOffset,
      });
    case 'hdf5': {
      const { Hdf5Dataset } = await import('./hdf5.js');
      return Hdf5Dataset.open({ path: d.path as string, variable: d.variable as string, sigDims: d.sigDims as number, syncOffset: d.syncOffset });
    }
    default:
      throw new NunatakError('NOT_FOUND', `unknown dataset kind '${d.kind}'`, { hint: 'known: memory, raw (npy opens as raw), hdf5' });
  }
}
