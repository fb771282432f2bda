/** CLI entry: builds the program and prints NunatakErrors as one clear message (exit 2). */
import { NunatakError } from '../core/errors.js';
import { log } from '../core/log.js';
import { buildProgram } from './program.js';

async function main(): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof NunatakError) {
      log.error(`[${e.code}] ${e.describe()}`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

await main();
