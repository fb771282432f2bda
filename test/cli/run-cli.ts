/**
 * Runs the `nunatak` CLI in this process (no tsx start-up per case): the
 * program main.ts builds, with commander's exits turned into throws, stderr
 * captured, and errors printed the way main.ts prints them. `crash` is set
 * when something other than a NunatakError or a usage error escaped.
 */
import type { Command } from 'commander';
import { NunatakError } from '../../src/core/errors.js';
import { buildProgram } from '../../src/cli/program.js';

export interface CliResult {
  /** 0 on success, 2 for a NunatakError, commander's code for usage errors, 99 for a crash. */
  status: number;
  stderr: string;
  crash?: Error;
}

function all(c: Command): Command[] {
  return [c, ...c.commands.flatMap(all)];
}

export async function runCli(args: string[]): Promise<CliResult> {
  const program = await buildProgram();
  let stderr = '';
  for (const c of all(program)) c.exitOverride().configureOutput({ writeErr: (s) => void (stderr += s), writeOut: () => {} });
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  const exitCode = process.exitCode;
  try {
    await program.parseAsync(['node', 'nunatak', ...args]);
    const status = typeof process.exitCode === 'number' ? process.exitCode : 0;
    return { status, stderr };
  } catch (e) {
    if (e instanceof NunatakError) return { status: 2, stderr: stderr + `error: [${e.code}] ${e.describe()}\n` };
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) return { status: ce.exitCode ?? 1, stderr };
    return { status: 99, stderr: stderr + String((e as Error).stack ?? e), crash: e as Error };
  } finally {
    process.stderr.write = write;
    process.exitCode = exitCode;
  }
}
