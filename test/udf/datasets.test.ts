// Datasets: raw binary files (read by position), .npy written by NumPy and by
// us (read back by NumPy), syncOffset on files, dtype promotion, bad input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Context } from '../../src/udf/context.js';
import { RawDataset } from '../../src/udf/dataset/raw.js';
import { openNpyDataset } from '../../src/udf/dataset/npy.js';
import { MemoryDataset } from '../../src/udf/dataset/memory.js';
import { writeNpy, readNpyHeader } from '../../src/udf/npy.js';
import { SumUDF } from '../../src/udf/builtins/sum.js';
import { SumSigUDF } from '../../src/udf/builtins/sumsig.js';
import { PickUDF } from '../../src/udf/builtins/pick.js';
import { assertClose, makeData, NAV, SIG, SIG_SIZE } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nk-udf-ds-'));
let ctx: Context;
after(async () => {
  await ctx?.close();
  rmSync(dir, { recursive: true, force: true });
});
const data = makeData(5);

test('raw file: same results as the in-memory dataset, on threads, with a header offset and syncOffset', async () => {
  ctx = await Context.make({ kind: 'threads', workers: 2 });
  const path = join(dir, 'scan.raw');
  const header = Buffer.alloc(100, 7);
  writeFileSync(path, Buffer.concat([header, Buffer.from(data.buffer)]));
  const raw = new RawDataset({ path, dtype: 'float32', navShape: NAV, sigShape: SIG, offset: 100 });
  const mem = new MemoryDataset({ data, navShape: NAV, sigShape: SIG });
  const [a, b] = await Promise.all([ctx.runUdf(raw, [new SumUDF(), new SumSigUDF()], { numPartitions: 5 }), ctx.runUdf(mem, [new SumUDF(), new SumSigUDF()], { numPartitions: 5 })]);
  // Same frames, same partitioning and tiling: identical bits.
  assert.deepEqual(a[0].get('intensity').data, b[0].get('intensity').data);
  assert.deepEqual(a[1].get('intensity').data, b[1].get('intensity').data);
  for (const syncOffset of [3, -2]) {
    const rs = new RawDataset({ path, dtype: 'float32', navShape: NAV, sigShape: SIG, offset: 100, syncOffset });
    const ms = new MemoryDataset({ data, navShape: NAV, sigShape: SIG, syncOffset });
    const [x, y] = await Promise.all([ctx.runUdf(rs, new SumSigUDF()), ctx.runUdf(ms, new SumSigUDF())]);
    assert.deepEqual(x.get('intensity').data, y.get('intensity').data);
    const ref = Array.from({ length: 63 }, (_, i) => {
      const s = i + syncOffset;
      return s < 0 || s >= 63 ? 0 : data.subarray(s * SIG_SIZE, (s + 1) * SIG_SIZE).reduce((p, q) => p + q, 0);
    });
    assertClose(x.get('intensity').data, ref, 1e-12, 1e-9, `sync ${syncOffset}`);
  }
});

test('uint16 raw data is promoted to float32 for float UDFs and kept native for pick', async () => {
  const u = Uint16Array.from(data, (v) => Math.round(v * 50));
  const path = join(dir, 'u16.raw');
  writeFileSync(path, Buffer.from(u.buffer));
  const ds = new RawDataset({ path, dtype: 'uint16', navShape: NAV, sigShape: SIG });
  const r = await ctx.runUdf(ds, [new SumSigUDF(), new PickUDF()], { roi: Uint8Array.from({ length: 63 }, (_, i) => (i === 9 ? 1 : 0)) });
  assert.equal(r[0].get('intensity').rawData[0], u.subarray(9 * SIG_SIZE, 10 * SIG_SIZE).reduce((a, b) => a + b, 0));
  assert.ok(r[1].get('intensity').rawData instanceof Float32Array); // with a float UDF in the pass
  const p = await ctx.runUdf(ds, new PickUDF(), { roi: Uint8Array.from({ length: 63 }, (_, i) => (i === 9 ? 1 : 0)) });
  assert.ok(p.get('intensity').rawData instanceof Uint16Array);
  assert.deepEqual(Array.from(p.get('intensity').rawData), Array.from(u.subarray(9 * SIG_SIZE, 10 * SIG_SIZE)));
});

test('.npy written by NumPy is read as a dataset; .npy we write is read back by NumPy', async (t) => {
  const py = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (py.status !== 0) {
    t.skip('python3-numpy not installed');
    return;
  }
  const path = join(dir, 'np.npy');
  const gen = `import numpy as np\na=(np.arange(${63 * SIG_SIZE},dtype=np.float64)%17).reshape(${NAV.join(',')},${SIG.join(',')})\nnp.save('${path}',a)\nprint(repr(a.sum(axis=(2,3)).ravel().tolist()))`;
  const out = spawnSync('/usr/bin/python3', ['-c', gen], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const ref = JSON.parse(out.stdout);
  const ds = openNpyDataset({ path });
  assert.deepEqual([ds.navShape, ds.sigShape, ds.dtype], [NAV, SIG, 'float64']);
  const r = await ctx.runUdf(ds, new SumSigUDF());
  assert.deepEqual(Array.from(r.get('intensity').data), ref);
  // Our writer → NumPy.
  const mine = join(dir, 'mine.npy');
  writeNpy(mine, r.get('intensity').data, r.get('intensity').shape);
  const back = spawnSync('/usr/bin/python3', ['-c', `import numpy as np\na=np.load('${mine}')\nimport json\nprint(json.dumps([str(a.dtype), list(a.shape), a.ravel().tolist()]))`], { encoding: 'utf8' });
  assert.equal(back.status, 0, back.stderr);
  assert.deepEqual(JSON.parse(back.stdout), ['float64', NAV, ref]);
  assert.deepEqual(readNpyHeader(mine).shape, NAV);
});

test('bad input: file size vs shape, dtype, missing file, bad .npy', () => {
  const path = join(dir, 'scan2.raw');
  writeFileSync(path, Buffer.from(data.buffer));
  assert.throws(() => new RawDataset({ path, dtype: 'float32', navShape: [9, 8], sigShape: SIG }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'SHAPE');
    assert.match(e.message, /scan2\.raw': file has 24192 bytes .* navShape \[9,8\] × sigShape \[8,12\] of float32 needs 27648/);
    return true;
  });
  assert.throws(() => new RawDataset({ path, dtype: 'float64', navShape: NAV, sigShape: SIG }), /needs 48384/);
  assert.throws(() => new RawDataset({ path, dtype: 'complex64' as 'float32', navShape: NAV, sigShape: SIG }), (e: Error & { code?: string }) => e.code === 'DTYPE' && /unsupported dtype "complex64"/.test(e.message));
  assert.throws(() => new RawDataset({ path: join(dir, 'nope.raw'), dtype: 'float32', navShape: NAV, sigShape: SIG }), /cannot open '.*nope\.raw'/);
  assert.throws(() => new RawDataset({ path, dtype: 'float32', navShape: [0, 7], sigShape: SIG }), /navShape must be an array of positive integers/);
  writeFileSync(join(dir, 'bad.npy'), 'not numpy at all');
  assert.throws(() => openNpyDataset({ path: join(dir, 'bad.npy') }), /is not a \.npy file/);
  assert.throws(() => new MemoryDataset({ data, navShape: [5, 5], sigShape: SIG }), /data holds 63 frames but navShape \[5,5\] needs 25/);
});
