/**
 * `nunatak` command line. Each command lives in its own file under
 * `src/cli/commands/` and exports `register(program)`; files are discovered at
 * start-up so faces add commands without touching this file. Command files
 * import their heavy implementation lazily inside the action, so `--help` is fast.
 */
import { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { setLogMode } from '../core/log.js';
import { isOwnModuleFile } from '../core/plugins/index.js';

export interface CommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('nunatak')
    .description('Pluggable, differentiable Earth-surface modelling on gridded data')
    .version('0.1.0')
    .option('-q, --quiet', 'print errors only')
    .option('--json', 'log as JSON lines on stdout')
    .hook('preAction', (cmd) => {
      const o = cmd.optsWithGlobals();
      if (o.json) setLogMode('json');
      else if (o.quiet) setLogMode('quiet');
    });
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir).filter((f) => isOwnModuleFile(import.meta.url, f)).sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Partial<CommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}

