/** `nunatak check <folder|file>`: type-check user code against nunatak's types and contracts. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('check')
    .description("type-check your code against nunatak's types: sim user modules (contract, parameters vs their YAML), model package entrypoints, UDF and other files; prints file:line: problem")
    .argument('<target>', 'an experiment folder (checks user/code/**, a metadata.json entrypoint and the .ts/.mts/.js/.mjs files in it), or one file')
    .addHelpText('after', '\nExample:\n  nunatak check my-experiment          # every user module under my-experiment/user/code\n  nunatak check my-udf.ts              # one file\nExit status 0 when there is no problem, 1 when there are problems, 2 when the target is missing.')
    .action(async (target: string) => {
      const { runCheck } = await import('../check.js');
      const problems = await runCheck(target);
      const { emit } = await import('../output.js');
      emit(
        { event: 'check', target, problems },
        [...problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`), problems.length === 0 ? `check: no problems in ${target}` : `check: ${problems.length} problem${problems.length > 1 ? 's' : ''}`],
      );
      if (problems.length > 0) process.exitCode = 1;
    });
}
