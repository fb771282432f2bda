/** Runs a user's script through the user-code loader, as `node <file> args...` would (see commands/script.ts). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { importUserFile, isUserCodeFile } from '../core/plugins/index.js';

export async function runScript(file: string, args: string[]): Promise<void> {
  const abs = resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new NunatakError('NOT_FOUND', `script ${abs} does not exist`, { hint: 'give the path of a .ts, .mts, .js or .mjs file' });
  }
  if (!isUserCodeFile(abs)) {
    throw new NunatakError('CONFIG', `script ${abs} is not a .ts, .mts, .js or .mjs file`, { hint: 'rename it, or run it with node directly' });
  }
  // The script's own view of the command line: argv[1] is the script (isMain compares with it), then its arguments.
  process.argv = [process.argv[0]!, abs, ...args];
  await importUserFile(abs);
}
