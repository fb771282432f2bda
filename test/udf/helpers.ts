// Shared test helpers: a small 4-D dataset and float64 references computed with plain loops.
import assert from 'node:assert/strict';
import { MemoryDataset } from '../../src/udf/dataset/memory.js';
import { randomData, rng } from './fixtures/udfs.js';

export const NAV = [9, 7];
export const SIG = [8, 12];
export const NAV_SIZE = 63;
export const SIG_SIZE = 96;

export function makeData(seed = 1): Float32Array {
  return randomData(NAV_SIZE * SIG_SIZE, seed);
}

export function makeDataset(data = makeData()): MemoryDataset {
  return new MemoryDataset({ data, navShape: NAV, sigShape: SIG });
}

/** Frames (flat nav indices) under a ROI (or all). */
export function roiFrames(roi: Uint8Array | null, n = NAV_SIZE): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!roi || roi[i]) out.push(i);
  return out;
}

export function roiOf(idx: number[], n = NAV_SIZE): Uint8Array {
  const r = new Uint8Array(n);
  for (const i of idx) r[i] = 1;
  return r;
}

export function randomRoi(seed: number, p = 0.4, n = NAV_SIZE): Uint8Array {
  const r = rng(seed);
  const roi = Uint8Array.from({ length: n }, () => (r() < p ? 1 : 0));
  roi[0] = 1;
  return roi;
}

/** The named ROI cases of the LiberTEM tests. */
export function roiCases(): Array<[string, Uint8Array | null]> {
  return [
    ['no roi', null],
    ['first/middle/last', roiOf([0, Math.floor(NAV_SIZE / 2), NAV_SIZE - 1])],
    ['random', randomRoi(7)],
    ['one row', roiOf([7, 8, 9, 10, 11, 12, 13])],
  ];
}

/** |a − b| ≤ atol + rtol·|b| elementwise, NaN equal to NaN. */
export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0, what = ''): void {
  assert.equal(a.length, b.length, `${what}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const tol = atol + rtol * Math.abs(b[i]);
    if (!(Math.abs(a[i] - b[i]) <= tol)) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]} (tol ${tol})`);
  }
}

export function frame(data: Float32Array, i: number): Float32Array {
  return data.subarray(i * SIG_SIZE, (i + 1) * SIG_SIZE);
}
