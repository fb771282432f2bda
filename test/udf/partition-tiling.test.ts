// Partitioning along nav (MiB-sized, multiple of the worker count, linspace
// boundaries, empty-under-ROI skipped) and tile negotiation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePartitions, partitionCount } from '../../src/udf/partition.js';
import { negotiateTiling, sigTileOrigins } from '../../src/udf/tiling.js';

test('partition count: MiB of float32 pixels, rounded up to a multiple of workers, capped by frames', () => {
  // 8192 frames of 256×256: 2 GiB of float32 → 4 partitions of 512 MiB.
  assert.equal(partitionCount(8192, 65536, 1), 4);
  assert.equal(partitionCount(8192, 65536, 3), 6);
  assert.equal(partitionCount(8192, 65536, 2, 128), 16);
  assert.equal(partitionCount(10, 4, 4), 4); // tiny data: one per worker
  assert.equal(partitionCount(3, 4, 8), 3); // never more than frames
});

test('partitions: linspace boundaries, ROI counts and offsets, empty ones skipped', () => {
  const p = makePartitions(10, 3, null);
  assert.deepEqual(p.map((x) => [x.start, x.stop, x.roiStart, x.roiCount]), [[0, 3, 0, 3], [3, 6, 3, 3], [6, 10, 6, 4]]);
  const roi = Uint8Array.from([1, 0, 0, 0, 0, 0, 1, 1, 0, 1]);
  const q = makePartitions(10, 3, roi);
  assert.deepEqual(q.map((x) => [x.index, x.roiStart, x.roiCount]), [[0, 0, 1], [2, 1, 3]]);
  assert.throws(() => makePartitions(10, 0, null), /numPartitions must be a positive integer/);
});

test('tiling: whole frames when they fit, rows otherwise; partition and frame intents; overrides', () => {
  const base = { prefs: [{}], inputDtype: 'float32' as const, maxPartitionFrames: 1000 };
  assert.deepEqual(negotiateTiling({ ...base, methods: ['tile'], sigShape: [256, 256] }), { depth: 4, sigTile: [256, 256] });
  assert.deepEqual(negotiateTiling({ ...base, methods: ['tile'], sigShape: [1024, 1024] }), { depth: 1, sigTile: [256, 1024] });
  assert.deepEqual(negotiateTiling({ ...base, methods: ['tile', 'partition'], sigShape: [64, 64] }), { depth: 1000, sigTile: [64, 64] });
  assert.deepEqual(negotiateTiling({ ...base, methods: ['frame'], sigShape: [64, 64] }), { depth: 64, sigTile: [64, 64] });
  assert.deepEqual(negotiateTiling({ ...base, methods: ['tile'], sigShape: [32, 64], tileShape: [3, 7, 100] }), { depth: 3, sigTile: [7, 64] });
  assert.throws(() => negotiateTiling({ ...base, methods: ['frame'], sigShape: [32, 64], tileShape: [3, 7, 64] }), /splits the signal, but a UDF processes whole frames/);
  // Tiles that do not divide the signal: border tiles are cut, origins cover it once.
  assert.deepEqual(sigTileOrigins([8, 12], [5, 7]), [[0, 0], [0, 7], [5, 0], [5, 7]]);
});
