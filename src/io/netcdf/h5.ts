/**
 * Lazy loader for h5wasm's Node build: the wasm module starts once, on first
 * use, so commands that never touch HDF5 do not pay for it. The Node build
 * reads and writes real paths directly (no virtual file system).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as H5 from 'h5wasm';

export type H5Module = typeof import('h5wasm');
let loading: Promise<H5Module> | undefined;

export async function loadH5(): Promise<H5Module> {
  loading ??= (async () => {
    // Loaded with require() (Node ≥ 20.19 loads ES modules that way), not
    // import(): in a checkout tsx's import hook rewrites the 4 MB module with
    // its embedded wasm on every start, which made the first NetCDF4 open
    // cost ~4 s; through require it is the plain ~0.3 s wasm start-up.
    const path = fileURLToPath(import.meta.resolve('h5wasm/node'));
    const mod = createRequire(import.meta.url)(path) as H5Module & { default?: H5Module };
    const h5 = mod.default ?? mod;
    const wasm = (await h5.ready) as unknown as { activate_throwing_error_handler(): number };
    // HDF5 errors become exceptions instead of ~40 HDF5-DIAG lines on stderr
    // while the call "succeeds": a failed write must stop the caller.
    wasm.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

export type { H5 };
