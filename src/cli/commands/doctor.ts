/** `nunatak doctor`: what works here, what is missing and how to fix it. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check tensor backends, ONNX Runtime and peer tools on this machine; exit 1 when something needed is missing')
    .addHelpText('after', '\nExample:\n  nunatak doctor\n  nunatak --json doctor     # one JSON array of checks\n')
    .action(async () => {
      const { runChecks, formatChecks } = await import('../../core/doctor.js');
      const { getLogMode } = await import('../../core/log.js');
      const checks = await runChecks();
      if (getLogMode() === 'json') process.stdout.write(JSON.stringify(checks) + '\n');
      else process.stdout.write(formatChecks(checks) + '\n');
      if (checks.some((c) => !c.ok && !c.optional)) process.exitCode = 1;
    });
}
