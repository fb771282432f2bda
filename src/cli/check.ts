/**
 * What `nunatak check` checks in a folder or file: sim user modules (through
 * the sim face's contract check), a model package's `.ts`/`.js` entrypoints
 * (metadata.json), and every other code file at the top of the folder
 * (UDFs, plug-ins), all type-checked together against nunatak's types; a
 * hybrid config (given, or a YAML file at the top of the folder) has the
 * process model, NN and loss files it names checked against their contracts.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { isUserCodeFile, typecheck, type CheckProblem } from '../core/plugins/index.js';
import { checkSimModules, moduleOfFile, userModules } from '../sim/index.js';

const isYaml = (f: string): boolean => /\.ya?ml$/.test(f);

/** Type and contract problems of the user files named by the hybrid configs `configs`. */
async function checkHybridConfigs(configs: string[]): Promise<{ problems: CheckProblem[]; files: string[] }> {
  if (configs.length === 0) return { problems: [], files: [] };
  const { hybridCheckFiles } = await import('../hybrid/check.js');
  const parts = configs.map(hybridCheckFiles);
  const files = [...new Set(parts.flatMap((p) => p.files))];
  const r = await typecheck(files, parts.flatMap((p) => p.virtual));
  return { problems: r.problems, files };
}

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
  if (!existsSync(abs)) throw new NunatakError('NOT_FOUND', `check: ${abs} does not exist`, { hint: 'give an experiment folder, a .ts/.mts/.js/.mjs file or a hybrid config .yaml' });
  const { isHybridConfig } = await import('../hybrid/check.js');
  if (statSync(abs).isFile()) {
    if (isYaml(abs) && isHybridConfig(abs)) return (await checkHybridConfigs([abs])).problems;
    if (!isUserCodeFile(abs)) throw new NunatakError('CONFIG', `check: ${abs} is not a code file or a hybrid config`, { hint: 'nunatak check takes .ts, .mts, .js or .mjs files, a hybrid config .yaml, or a folder' });
    const mod = moduleOfFile(abs);
    return mod ? checkSimModules([mod]) : checkSimModules([], [abs]);
  }
  const mods = userModules(abs);
  const entries = readdirSync(abs)
    .map((f) => join(abs, f))
    .filter((f) => statSync(f).isFile());
  const hybrid = await checkHybridConfigs(entries.filter((f) => isYaml(f) && isHybridConfig(f)));
  const top = entries.filter((f) => isUserCodeFile(f) && !f.endsWith('.d.ts'));
  const extra = [...new Set([...entryFiles(abs), ...top])].filter((f) => !mods.some((m) => m.code === f) && !hybrid.files.includes(f));
  return [...(await checkSimModules(mods, extra)), ...hybrid.problems];
}
