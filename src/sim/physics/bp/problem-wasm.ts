/**
 * The Blatter–Pattyn energy on the AssemblyScript kernel (kernels/assembly/
 * blatter.ts): the corner precomputation and all buffers live in the shared
 * kernel memory for the problem's lifetime; a call copies U, V in (unless
 * they already live there), runs the fused energy + adjoint pass over corner
 * rows (bands on worker threads for large grids) and the gradient pass.
 */
import { kernelRuntime } from '../../../kernels/runtime.js';
import type { KernelMemory } from '../../../kernels/memory.js';
import { bpCorners, bpFreeMask, type BPGeometry } from './geometry.js';
import type { BPSettings } from './settings.js';
import { bpLayerFractions } from './vertical.js';
import { bpCheckArg, bpCheckEnergy, bpCheckLive, type BPProblem } from './problem-api.js';
import { bpCheckThreads, bpRun } from './threads.js';

const CORNER_FIELDS = ['thk', 'B', 'C', 'bx', 'by', 'sx', 'sy', 'hz', 'ice'] as const;

/** A Float64Array of n values in kernel memory (allocated as 2n f32; allocations are 64-byte aligned). */
function allocF64(mem: KernelMemory, held: Float32Array[], n: number): Float64Array {
  const v = mem.allocF32(2 * n);
  held.push(v);
  return new Float64Array(v.buffer, v.byteOffset, n);
}

export class WasmProblem implements BPProblem {
  readonly size: number;
  readonly free: Uint8Array;
  private readonly mem = kernelRuntime().memory;
  private readonly held: Float32Array[] = [];
  private readonly f: Record<string, Float32Array> = {};
  private readonly cor: Float64Array;
  private readonly cor4: Float32Array;
  private readonly cst: Float64Array;
  private readonly Jrow: Float64Array;
  private readonly nyc: number;
  private readonly nxc: number;
  private readonly n: number;
  private disposed = false;

  constructor(readonly geom: BPGeometry, readonly settings: BPSettings, private readonly threads?: number, private readonly simd = true) {
    bpCheckThreads(threads);
    const s = settings;
    const c = bpCorners(geom, s);
    [this.nyc, this.nxc, this.n] = [c.nyc, c.nxc, c.n];
    this.free = bpFreeMask(geom, s);
    this.size = this.free.length;
    const mem = this.mem;
    this.cor = allocF64(mem, this.held, 9 * c.n);
    // f64 records for the scalar path, f32 planes for the f32x4 path
    this.cor4 = this.alloc(9 * c.n);
    CORNER_FIELDS.forEach((name, q) => {
      for (let k = 0; k < c.n; k++) this.cor[9 * k + q] = c[name][k];
      this.cor4.set(c[name], q * c.n);
    });
    const frac = bpLayerFractions(s.Nz, s.vert_spacing);
    this.cst = allocF64(mem, this.held, 10 + frac.length);
    this.cst.set([geom.dx, 1 + 1 / s.exp_glen, 1 + 1 / s.exp_weertman, s.thr_ice_thk, s.regu_glen ** 2, s.regu_weertman ** 2,
      s.min_sr ** 2, s.max_sr ** 2, s.ice_density * s.gravity_cst * 1e-6, s.no_slip ? 0 : 1]);
    this.cst.set(frac, 10);
    this.Jrow = allocF64(mem, this.held, c.nyc);
    const plane = geom.nx * geom.ny;
    for (const name of ['U', 'V', 'gUB', 'gUT', 'gVB', 'gVT', 'gU', 'gV']) this.f[name] = this.alloc(this.size);
    this.f.ice = this.alloc(plane);
    this.f.m0 = this.alloc(plane);
    for (let k = 0; k < plane; k++) {
      this.f.ice[k] = geom.thk[k] > 0 ? 1 : 0;
      this.f.m0[k] = this.free[k];
    }
  }

  private alloc(n: number): Float32Array {
    const v = this.mem.allocF32(n);
    this.held.push(v);
    return v;
  }

  energy(U: Float32Array, V: Float32Array, gU?: Float32Array, gV?: Float32Array): number {
    const { size, f, geom, settings: s } = this;
    bpCheckArg('U', U, size, true);
    bpCheckArg('V', V, size, true);
    bpCheckArg('gU', gU, size, false);
    bpCheckArg('gV', gV, size, false);
    bpCheckLive(this.disposed);
    const grad = gU !== undefined || gV !== undefined;
    const pU = this.mem.owns(U) ? U.byteOffset : (f.U.set(U), f.U.byteOffset);
    const pV = this.mem.owns(V) ? V.byteOffset : (f.V.set(V), f.V.byteOffset);
    const work = this.n * s.Nz;
    bpRun('bpEnergy', this.nyc, work, this.threads, [pU, pV, f.m0.byteOffset, this.cor.byteOffset, this.cst.byteOffset, this.Jrow.byteOffset,
      f.gUB.byteOffset, f.gUT.byteOffset, f.gVB.byteOffset, f.gVT.byteOffset, s.Nz, geom.nx, geom.ny, this.nxc, grad ? 1 : 0,
      this.cor4.byteOffset, this.n, this.simd ? 1 : 0]);
    let J = 0;
    for (let j = 0; j < this.nyc; j++) J += this.Jrow[j];
    J /= this.n;
    if (grad) {
      const pgU = gU && this.mem.owns(gU) ? gU.byteOffset : f.gU.byteOffset;
      const pgV = gV && this.mem.owns(gV) ? gV.byteOffset : f.gV.byteOffset;
      bpRun('bpGradient', geom.ny, work, this.threads, [f.gUB.byteOffset, f.gUT.byteOffset, f.gVB.byteOffset, f.gVT.byteOffset, f.ice.byteOffset, f.m0.byteOffset,
        pgU, pgV, s.Nz, geom.nx, geom.ny, this.nyc, s.periodic ? 1 : 0, 1 / this.n]);
      if (gU && pgU === f.gU.byteOffset) gU.set(f.gU);
      if (gV && pgV === f.gV.byteOffset) gV.set(f.gV);
    }
    return bpCheckEnergy(J);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.held) this.mem.release(v);
    this.held.length = 0;
  }
}
