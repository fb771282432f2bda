/**
 * Tile negotiation (once per run) between the UDFs' methods and preferences
 * and the dataset, and the sig-tile grid (border tiles may be smaller).
 */
import { NunatakError } from '../core/errors.js';
import { itemSize, type DType } from './dtype.js';
import type { ProcessMethod, TilingPreferences } from './udf.js';
import { prod } from './shape.js';

export interface TilingScheme {
  /** Frames per tile (the last tile of a partition may have fewer). */
  depth: number;
  /** Signal extent of a full tile; border tiles are cut at the frame edge. */
  sigTile: number[];
}

export const TILE_DEPTH_DEFAULT = 32;
export const TILE_BYTES_DEFAULT = 1024 * 1024;

export interface NegotiateInput {
  methods: ProcessMethod[];
  prefs: TilingPreferences[];
  sigShape: number[];
  inputDtype: DType;
  /** Largest partition (frames under the ROI). */
  maxPartitionFrames: number;
  /** User override: [depth, ...sigTile]. */
  tileShape?: number[];
}

export function negotiateTiling(o: NegotiateInput): TilingScheme {
  const sig = o.sigShape;
  const item = itemSize(o.inputDtype);
  const frameBytes = prod(sig) * item;
  const hasPartition = o.methods.includes('partition');
  const hasFrame = o.methods.includes('frame');
  if (o.tileShape) {
    const t = o.tileShape;
    if (!Array.isArray(t) || t.length !== sig.length + 1 || t.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new NunatakError('CONFIG', `tileShape must be [depth, ${sig.map((_, i) => `s${i}`).join(', ')}] of positive integers, got ${JSON.stringify(t)}`);
    }
    const sigTile = t.slice(1).map((v, i) => Math.min(v, sig[i]));
    if ((hasPartition || hasFrame) && sigTile.some((v, i) => v !== sig[i])) {
      throw new NunatakError('CONFIG', `tileShape ${JSON.stringify(t)} splits the signal, but a UDF processes whole ${hasPartition ? 'partitions' : 'frames'}`, {
        hint: `use full signal extent ${JSON.stringify(sig)} in tileShape`,
      });
    }
    return { depth: hasPartition ? o.maxPartitionFrames : Math.min(t[0], o.maxPartitionFrames), sigTile };
  }
  if (hasPartition) return { depth: Math.max(1, o.maxPartitionFrames), sigTile: sig.slice() };
  if (hasFrame) {
    const depth = Math.max(1, Math.floor(Math.max(TILE_BYTES_DEFAULT, frameBytes) / frameBytes));
    return { depth: Math.min(depth, o.maxPartitionFrames), sigTile: sig.slice() };
  }
  // Tile intent: the deepest preferred depth, the smallest preferred size.
  let depth = Math.max(...o.prefs.map((p) => p.depth ?? TILE_DEPTH_DEFAULT));
  const size = Math.min(...o.prefs.map((p) => p.totalSize ?? TILE_BYTES_DEFAULT));
  depth = Math.max(1, Math.min(depth, o.maxPartitionFrames));
  // Whole frames when at least one fits the size: no gather copies, and the
  // frame block read from the dataset is the tile itself.
  if (sig.length === 1 || frameBytes <= size) {
    return { depth: Math.max(1, Math.min(depth, Math.floor(size / frameBytes))), sigTile: sig.slice() };
  }
  // Otherwise one frame deep, whole rows of the last axes, as many rows as fit.
  depth = 1;
  const rowBytes = prod(sig.slice(1)) * item;
  if (depth * rowBytes > size) depth = Math.max(1, Math.floor(size / rowBytes));
  const rows = Math.max(1, Math.min(sig[0], Math.floor(size / (depth * rowBytes))));
  return { depth, sigTile: [rows, ...sig.slice(1)] };
}

/** Origins of the sig tiles, C order over the tile grid. */
export function sigTileOrigins(sig: number[], tile: number[]): number[][] {
  const counts = sig.map((s, i) => Math.ceil(s / tile[i]));
  const out: number[][] = [];
  const n = prod(counts);
  for (let k = 0; k < n; k++) {
    let r = k;
    const o = new Array<number>(sig.length);
    for (let d = sig.length - 1; d >= 0; d--) {
      o[d] = (r % counts[d]) * tile[d];
      r = Math.floor(r / counts[d]);
    }
    out.push(o);
  }
  return out;
}
