/**
 * What `nunatak check` checks in a folder or file: sim user modules (through
 * the sim face's contract check), a model package's `.ts`/`.js` entrypoints
 * (metadata.json), and every other code file at the top of the folder
 * (UDFs, plug-ins), all type-checked together against nunatak's types.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { isUserCodeFile, type CheckProblem } from '../core/plugins/index.js';
import { checkSimModules, moduleOfFile, userModules } from '../sim/index.js';

function entryFiles(dir: string): string[] {
  const meta = join(dir, 'metadata.json');
  if (!existsSync(meta)) return [];
  const m = JSON.parse(readFileSync(meta, 'utf8')) as { entrypoint?: { name?: string }; architecture_entrypoint?: string };
  return [m.entrypoint?.name, m.architecture_entrypoint]
    .filter((e): e is string => typeof e === 'string' && e.startsWith('.'))
    .map((e) => resolve(dir, e.split('#')[0]!))
    .filter((f) => existsSync(f));
}

/** Problems in `target` (folder or file), file:line located. */
export async function runCheck(target: string): Promise<CheckProblem[]> {
  const abs = resolve(target);
  if (!existsSync(abs)) throw new NunatakError('NOT_FOUND', `check: ${abs} does not exist`, { hint: 'give an experiment folder or a .ts/.mts/.js/.mjs file' });
  if (statSync(abs).isFile()) {
    if (!isUserCodeFile(abs)) throw new NunatakError('CONFIG', `check: ${abs} is not a code file`, { hint: 'nunatak check takes .ts, .mts, .js or .mjs files, or a folder' });
    const mod = moduleOfFile(abs);
    return mod ? checkSimModules([mod]) : checkSimModules([], [abs]);
  }
  const mods = userModules(abs);
  const top = readdirSync(abs)
    .map((f) => join(abs, f))
    .filter((f) => isUserCodeFile(f) && !f.endsWith('.d.ts') && statSync(f).isFile());
  const extra = [...new Set([...entryFiles(abs), ...top])].filter((f) => !mods.some((m) => m.code === f));
  return checkSimModules(mods, extra);
}
