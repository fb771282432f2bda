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

/** How `nunatak` ends; `nunatak --help` prints this (docs/core.md, "Command line"). */
export const EXIT_CODES = `
Exit codes:
  0    success
  1    the command ran and found problems (check, doctor, models list), or a usage error
       (unknown option, missing argument: commander prints the usage), or an unexpected
       internal error (printed with its stack trace; please report it)
  2    nunatak error: bad input, config or I/O; one line "[CODE] message" and a hint
  130  interrupted (a second Ctrl-C; the first stops the run at the end of its step)
`;

const ROOT_HELP = `
Conventions: long options are kebab-case (--nb-layers; DLE's and IGM's snake_case
spellings are accepted too); --out <dir> is always a folder and -o its short form;
--file <path> names a single output file. --json makes stdout JSON lines only.
${EXIT_CODES}
Example:
  nunatak run examples/valley --out /tmp/valley
  nunatak help iceflow          # a module's parameters; nunatak <command> --help for a command
`;

/** Marks every mandatory option "(required)" in its help, so no command can forget it. */
function markRequired(c: Command): void {
  for (const o of c.options) if (o.mandatory && !/\(required\)/.test(o.description)) o.description += ' (required)';
  c.commands.forEach(markRequired);
}

export interface CommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command();
  program
    .name('nunatak')
    .description('Pluggable, differentiable Earth-surface modelling on gridded data')
    .version('0.1.0')
    .option('-q, --quiet', 'print errors only (also NUNATAK_QUIET=1)')
    .option('--json', 'stdout is JSON lines only: log records, progress and the result, numbers as JSON numbers (also NUNATAK_LOG=json)')
    .addHelpText('after', ROOT_HELP)
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
  markRequired(program);
  return program;
}

