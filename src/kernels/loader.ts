/**
 * Loads compiled AssemblyScript kernels (`build/kernels/<name>.wasm`, built by
 * `npm run build:kernels`) and instantiates them over a shared KernelMemory.
 * Generic: any module following the kernel ABI (see assembly/stencil.ts) loads
 * the same way, so new kernels only need an AssemblyScript file.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NunatakError } from '../core/errors.js';
import { wasm, type WasmMemory, type WasmModule } from './wasm.js';
import type { KernelMemory } from './memory.js';

/** Exported kernel functions: numbers in (i32 rows/sizes, pointers, f32 scalars), nothing out. */
export type KernelFn = (...args: number[]) => void;

export interface KernelModule {
  name: string;
  /** The compiled module (cloneable to worker threads). */
  module: WasmModule;
  /** Exported functions by name. */
  fns: Record<string, KernelFn>;
  memory: KernelMemory;
}

const compiled = new Map<string, WasmModule>();

/** Path of a compiled kernel module. */
export function kernelPath(name: string): string {
  return fileURLToPath(new URL(`../../build/kernels/${name}.wasm`, import.meta.url));
}

/** The compiled (not instantiated) module for kernel `name`, cached. */
export function compileKernel(name: string): WasmModule {
  let m = compiled.get(name);
  if (m) return m;
  const path = kernelPath(name);
  if (!existsSync(path)) {
    throw new NunatakError('DEPENDENCY', `kernel '${name}' is not built (${path} not found)`, {
      hint: `run \`npm run build:kernels\` (compiles src/kernels/assembly/${name}.ts)`,
    });
  }
  m = new wasm.Module(readFileSync(path));
  compiled.set(name, m);
  return m;
}

/** Instantiate a compiled kernel module over `memory` (synchronous). */
export function instantiateKernel(name: string, module: WasmModule, memory: WasmMemory): Record<string, KernelFn> {
  const inst = new wasm.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new NunatakError('EXEC', `kernel '${name}' aborted`);
      },
    },
  });
  const fns: Record<string, KernelFn> = {};
  for (const [k, v] of Object.entries(inst.exports)) if (typeof v === 'function') fns[k] = v as KernelFn;
  return fns;
}

/** Load kernel `name` over `memory`. */
export function loadKernel(name: string, memory: KernelMemory): KernelModule {
  const module = compileKernel(name);
  return { name, module, fns: instantiateKernel(name, module, memory.memory), memory };
}

/** Look up one exported function, failing with the list of exports. */
export function kernelFn(k: KernelModule, fn: string): KernelFn {
  const f = k.fns[fn];
  if (!f) {
    throw new NunatakError('NOT_FOUND', `kernel '${k.name}' has no function '${fn}'`, { hint: `exports: ${Object.keys(k.fns).join(', ')}` });
  }
  return f;
}
