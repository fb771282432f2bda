/**
 * Lazy loader for h5wasm's Node build: the wasm module starts once, on first
 * use, so commands that never touch HDF5 do not pay for it. The Node build
 * reads and writes real paths directly (no virtual file system).
 */
import type * as H5 from 'h5wasm';

export type H5Module = typeof import('h5wasm');
let loading: Promise<H5Module> | undefined;

export async function loadH5(): Promise<H5Module> {
  loading ??= (async () => {
    const mod = (await import('h5wasm/node')) as unknown as H5Module & { default: H5Module };
    const h5 = mod.default ?? mod;
    await h5.ready;
    return h5;
  })();
  return loading;
}

export type { H5 };
