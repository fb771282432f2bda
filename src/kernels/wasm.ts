/**
 * Minimal typings for the WebAssembly global (the project's TS lib has no DOM
 * and @types/node 20 does not declare it), kept local so they cannot clash
 * with a lib that does.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
/** A compiled module (opaque; cloneable to worker threads). */
export type WasmModule = object;
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: {
    new (bytes: Uint8Array): WasmModule;
    exports(m: WasmModule): Array<{ name: string; kind: string }>;
  };
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Names of the functions a module exports, in export order. */
export function exportedFunctions(m: WasmModule): string[] {
  return wasm.Module.exports(m)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name);
}
