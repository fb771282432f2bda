/**
 * nunatak runs from its TypeScript sources in a checkout (`src/*.ts`, through
 * tsx) and from the JavaScript tsc emits into `dist/*.js` in an installed
 * package. Code that names one of nunatak's own files by path (worker bodies,
 * task entrypoints, command folders) asks here for the extension the running
 * copy uses instead of writing `.ts`.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.ts` when the calling file is TypeScript source, `.js` when it is built output. */
export function ownExt(metaUrl: string): '.ts' | '.js' {
  return extname(fileURLToPath(metaUrl)) === '.ts' ? '.ts' : '.js';
}

/** Absolute path of `stem` (e.g. `./thread-worker`) beside the calling file, with the running extension. */
export function siblingFile(metaUrl: string, stem: string): string {
  return join(dirname(fileURLToPath(metaUrl)), stem + ownExt(metaUrl));
}

/** True for a module file of the running copy (`x.ts` in a checkout, `x.js` built; never `.d.ts`). */
export function isOwnModuleFile(metaUrl: string, file: string): boolean {
  return file.endsWith(ownExt(metaUrl)) && !file.endsWith('.d.ts');
}
