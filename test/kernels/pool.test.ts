// Kernel memory allocator, loader errors, and the row-band thread pool: every
// band split must give bit-identical results to one call over all rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelMemory } from '../../src/kernels/memory.js';
import { loadKernel, kernelFn, compileKernel } from '../../src/kernels/loader.js';
import { BandPool } from '../../src/kernels/pool.js';
import { isNunatakError } from '../../src/core/errors.js';

test('kernel memory allocates aligned views, reuses freed blocks, grows on demand', () => {
  const mem = new KernelMemory(1);
  const a = mem.allocF32(10);
  const b = mem.allocF32(1000);
  assert.equal(a.byteOffset % 64, 0);
  assert.equal(b.byteOffset % 64, 0);
  assert.ok(a.byteOffset >= 65536, 'first 64 KiB stay reserved for modules');
  assert.ok(b.byteOffset >= a.byteOffset + 40);
  mem.release(a);
  const c = mem.allocF32(5);
  assert.equal(c.byteOffset, a.byteOffset, 'freed block is reused');
  const big = mem.allocF32(1 << 20); // 4 MiB > the initial 1 MiB: grows
  big[big.length - 1] = 7;
  assert.equal(big[big.length - 1], 7);
  assert.ok(mem.owns(b) && mem.owns(big), 'views made before and after growth are recognised');
  assert.equal(mem.owns(new Float32Array(4)), false);
  assert.throws(() => mem.ptr(new Float32Array(4)), (e) => isNunatakError(e, 'INPUT') && /does not live in this kernel memory/.test(e.message));
  for (const v of [b, c, big]) mem.release(v);
  assert.equal(mem.allocatedBytes, 0);
  assert.throws(() => mem.release(b), (e) => isNunatakError(e, 'INPUT'));
});

test('loader errors name the missing kernel or function', () => {
  assert.throws(() => compileKernel('no_such_kernel'), (e) => isNunatakError(e, 'DEPENDENCY') && /no_such_kernel/.test(e.message) && /build:kernels/.test(e.hint ?? ''));
  const k = loadKernel('stencil', new KernelMemory(1));
  assert.throws(() => kernelFn(k, 'gradZ'), (e) => isNunatakError(e, 'NOT_FOUND') && /gradX/.test(e.hint ?? ''));
});

test('band pool: 1, 2 and 3 threads give identical results to a single call', async () => {
  const nx = 37;
  const ny = 29;
  const mem = new KernelMemory(4);
  const s = mem.allocF32(nx * ny);
  for (let k = 0; k < s.length; k++) s[k] = Math.sin(k * 0.37) * 100;
  const k = loadKernel('stencil', mem);
  const refGx = mem.allocF32(ny * (nx - 1));
  const refGy = mem.allocF32((ny - 1) * nx);
  const refD = mem.allocF32(nx * ny);
  kernelFn(k, 'gradX')(0, ny, mem.ptr(s), mem.ptr(refGx), nx, 0.5);
  kernelFn(k, 'gradY')(0, ny, mem.ptr(s), mem.ptr(refGy), nx, ny, 0.25);
  kernelFn(k, 'divergence')(0, ny, mem.ptr(refGx), mem.ptr(refGy), mem.ptr(refD), nx, ny, 0.5, 0.25);
  for (const threads of [1, 2, 3]) {
    const pool = await BandPool.create(mem, ['stencil'], threads);
    try {
      const gx = mem.allocF32(ny * (nx - 1));
      const gy = mem.allocF32((ny - 1) * nx);
      const d = mem.allocF32(nx * ny);
      for (let rep = 0; rep < 3; rep++) {
        pool.run('stencil', 'gradX', ny, [mem.ptr(s), mem.ptr(gx), nx, 0.5]);
        pool.run('stencil', 'gradY', ny, [mem.ptr(s), mem.ptr(gy), nx, ny, 0.25]);
        pool.run('stencil', 'divergence', ny, [mem.ptr(gx), mem.ptr(gy), mem.ptr(d), nx, ny, 0.5, 0.25]);
      }
      assert.deepEqual(gx, refGx, `gx, ${threads} threads`);
      assert.deepEqual(gy, refGy, `gy, ${threads} threads`);
      assert.deepEqual(d, refD, `divergence, ${threads} threads`);
      assert.throws(() => pool.run('stencil', 'nope', ny, []), (e) => isNunatakError(e, 'NOT_FOUND') && /divergence/.test(e.hint ?? ''));
      assert.throws(() => pool.run('other', 'gradX', ny, []), (e) => isNunatakError(e, 'NOT_FOUND'));
    } finally {
      await pool.close();
    }
  }
  await assert.rejects(BandPool.create(mem, ['stencil'], 0), (e) => isNunatakError(e, 'CONFIG'));
});

test('a Field living in kernel memory feeds kernels directly and keeps its view through tensor syncs', async () => {
  const { Field } = await import('../../src/core/field/field.js');
  const { tf, ready } = await import('../../src/core/tensor/index.js');
  await ready('wasm');
  const mem = new KernelMemory(1);
  const k = loadKernel('stencil', mem);
  const grid = { nx: 6, ny: 4, x0: 0, y0: 0, dx: 2, dy: 2 };
  const f = new Field({ name: 'usurf', grid, units: 'm', data: mem.allocF32(24) });
  const view = f.data;
  f.setTensor(tf.tidy(() => tf.mul(tf.range(0, 24, 1, 'float32').reshape([4, 6]), 3)));
  assert.equal(f.data, view, 'syncing from the tensor writes into the same kernel-memory view');
  const gx = mem.allocF32(4 * 5);
  kernelFn(k, 'gradX')(0, 4, mem.ptr(f.data), mem.ptr(gx), 6, 1 / grid.dx);
  assert.ok(gx.every((v) => v === 1.5), 'd(3·i)/dx with dx = 2');
  f.dispose();
});
