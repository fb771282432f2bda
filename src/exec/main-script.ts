/**
 * UDFs and task functions defined in the script that runs them (the LiberTEM
 * habit). Workers load a task by importing its module, which runs the module's
 * top level again; the script's "main" part must therefore be guarded, like
 * Python's `if __name__ == '__main__':`
 *
 *   if (isMain(import.meta.url)) { const ctx = await Context.make(...); ... }
 *
 * `isMain` is false in every nunatak worker (threads and distributed), so there
 * only the definitions run. Before scattering, the caller refuses a run whose
 * UDF/task lives in the unguarded running script (it would run again on every
 * worker), naming the file and the two fixes.
 */
import { realpathSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { NunatakError } from '../core/errors.js';
import { parseEntry } from './load-entry.js';

// Global (not module) state, so two copies of nunatak in one process agree.
const G = globalThis as { __nunatakWorker?: boolean; __nunatakGuarded?: Set<string> };
const guarded = (G.__nunatakGuarded ??= new Set<string>());

/** Called by thread and distributed workers before they load any task. */
export function markWorker(): void {
  G.__nunatakWorker = true;
}

function realFile(pathOrUrl: string): string | undefined {
  try {
    return realpathSync(pathOrUrl.startsWith('file:') ? fileURLToPath(pathOrUrl) : pathOrUrl);
  } catch {
    return undefined;
  }
}

/** The script this process was started with (`node --import tsx script.mts`), if any. */
function runningScript(): string | undefined {
  return process.argv[1] ? realFile(process.argv[1]) : undefined;
}

/**
 * True when `moduleUrl` (pass `import.meta.url`) is the script this process
 * runs and this is not a nunatak worker: guard a script's main part with it.
 */
export function isMain(moduleUrl: string): boolean {
  const file = realFile(moduleUrl);
  if (file) guarded.add(file);
  return !G.__nunatakWorker && isMainThread && file !== undefined && file === runningScript();
}

/**
 * Before scattering on an executor whose workers import entries (threads,
 * distributed): an entry in the running script that never called `isMain`
 * would run the whole script again on every worker — refuse it clearly.
 */
export function checkWorkersCanImport(entries: Iterable<string>, kind: string): void {
  if (kind === 'inline' || G.__nunatakWorker) return;
  const script = runningScript();
  if (!script) return;
  for (const entry of entries) {
    const { spec, name } = parseEntry(entry);
    if (!spec.startsWith('file:') && !spec.startsWith('/')) continue;
    if (realFile(spec) !== script || guarded.has(script)) continue;
    throw new NunatakError('PLUGIN', `${name} is defined in ${script}, the script this process is running; ${kind} workers import that file to get ${name}, which would run the whole script again on every worker`, {
      hint: `either guard the script's main part: import { isMain } from 'nunatak/udf'; if (isMain(import.meta.url)) { ...your run... } — or move ${name} to its own file (e.g. ./${name.toLowerCase()}.ts) and import it from the script`,
    });
  }
}
