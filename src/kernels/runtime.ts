/**
 * The default kernel runtime: one process-wide KernelMemory with the built-in
 * kernel modules instantiated over it (lazily, synchronously). Custom TF.js ops
 * and the array-level kernel functions use it; code that wants threads creates
 * a BandPool over `kernelRuntime().memory`.
 */
import { KernelMemory } from './memory.js';
import { loadKernel, type KernelModule } from './loader.js';

export interface KernelRuntime {
  memory: KernelMemory;
  /** Loaded kernel modules by name (load more with `module(name)`). */
  module(name: string): KernelModule;
}

let rt: KernelRuntime | null = null;

export function kernelRuntime(): KernelRuntime {
  if (rt) return rt;
  const memory = new KernelMemory();
  const mods = new Map<string, KernelModule>();
  rt = {
    memory,
    module(name: string): KernelModule {
      let m = mods.get(name);
      if (!m) {
        m = loadKernel(name, memory);
        mods.set(name, m);
      }
      return m;
    },
  };
  return rt;
}

/**
 * Run `body` with its arrays in kernel memory: inputs already there are used
 * as they are (no copy), others are copied in; outputs are zeroed scratch
 * arrays of the given lengths. Copies and scratch are released afterwards,
 * even on error.
 */
export function withScratch<R>(inputs: ArrayLike<number>[], outputs: number[], body: (ins: Float32Array[], outs: Float32Array[]) => R): R {
  const mem = kernelRuntime().memory;
  const held: Float32Array[] = [];
  try {
    const ins = inputs.map((a) => {
      if (a instanceof Float32Array && mem.owns(a)) return a;
      const v = mem.fromArray(a);
      held.push(v);
      return v;
    });
    const outs = outputs.map((n) => {
      const v = mem.allocF32(n);
      held.push(v);
      return v;
    });
    return body(ins, outs);
  } finally {
    for (const v of held) mem.release(v);
  }
}
