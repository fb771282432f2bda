// Fused SIA-like step kernel: wasm (scalar edges + SIMD interior) vs the
// float64 TS reference, mass conservation with zero-flux edges, and row-band
// threading giving identical results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelMemory } from '../../src/kernels/memory.js';
import { loadKernel, kernelFn } from '../../src/kernels/loader.js';
import { BandPool } from '../../src/kernels/pool.js';
import { siaStepRef } from '../../src/kernels/reference/diffusion.js';

// A smooth ice cap (m) on an odd-sized grid so SIMD tails and edges are hit.
function cap(nx: number, ny: number): Float64Array {
  const h = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const r2 = ((i - nx / 2) / (nx / 2.5)) ** 2 + ((j - ny / 2) / (ny / 2.5)) ** 2;
      h[j * nx + i] = r2 < 1 ? 500 * Math.sqrt(1 - r2) + 3 * Math.sin(i + 2 * j) : 0.5 * ((i * 7 + j * 3) % 5);
    }
  }
  return h;
}

test('wasm siaStep matches the float64 reference (rel 1e-5) and conserves mass', async () => {
  const nx = 23;
  const ny = 17;
  const dx = 1000;
  const dy = 1000;
  const c = 1e-5; // c·H⁵·g² ~ D ≈ 1e6 m² a⁻¹ for H ~ 500 m, slopes ~ 0.06; dt = 0.1 a < dx²/4D
  const dt = 0.1;
  const h64 = cap(nx, ny);
  const ref = siaStepRef(h64, new Float64Array(nx * ny), nx, ny, dx, dy, c, dt);
  const mem = new KernelMemory(1);
  const k = loadKernel('diffusion', mem);
  const h = mem.fromArray(h64);
  const out = mem.allocF32(nx * ny);
  kernelFn(k, 'siaStep')(0, ny, mem.ptr(h), mem.ptr(out), nx, ny, 1 / dx, 1 / dy, c, dt);
  let worst = 0;
  let change = 0;
  for (let q = 0; q < ref.length; q++) {
    worst = Math.max(worst, Math.abs(out[q] - ref[q]));
    change = Math.max(change, Math.abs(ref[q] - h64[q]));
  }
  assert.ok(change > 1, `the step moves ice (max change ${change} m)`);
  assert.ok(worst <= 1e-5 * 500, `max |wasm − ref| = ${worst} m`);
  // No cell clamps at 0 here, so Σh is conserved exactly up to float32 rounding.
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum(ref) - sum(h64)) <= 1e-9 * sum(h64), 'reference conserves mass');
  assert.ok(Math.abs(sum(out) - sum(h64)) <= 1e-6 * sum(h64), 'kernel conserves mass');

  const pool = await BandPool.create(mem, ['diffusion'], 2);
  try {
    const out2 = mem.allocF32(nx * ny);
    pool.run('diffusion', 'siaStep', ny, [mem.ptr(h), mem.ptr(out2), nx, ny, 1 / dx, 1 / dy, c, dt]);
    assert.deepEqual(out2, out, '2 threads give the same bits');
  } finally {
    await pool.close();
  }
});
