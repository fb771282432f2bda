/** `nunatak models list|show|run|score`: model packages, rollouts and forecast scores. */
import type { Command } from 'commander';

export function register(program: Command): void {
  const models = program.command('models').description('model packages: list, show, run (roll out), score');
  models
    .command('list')
    .description('list the packages in the model registry (NUNATAK_MODEL_REGISTRY)')
    .option('--registry <dir>', 'registry folder (default: $NUNATAK_MODEL_REGISTRY)')
    .action(async (opts: { registry?: string }) => {
      const { listPackages } = await import('../../models/registry.js');
      const { describeEntry } = await import('../../models/describe.js');
      const { getLogMode } = await import('../../core/log.js');
      const entries = listPackages({ registry: opts.registry });
      if (getLogMode() === 'json') process.stdout.write(JSON.stringify(entries.map((e) => ({ name: e.name, dir: e.dir, error: e.error }))) + '\n');
      else process.stdout.write(entries.map(describeEntry).join('\n') + (entries.length ? '\n' : '(no packages)\n'));
      if (entries.some((e) => e.error)) process.exitCode = 1;
    });
  models
    .command('show')
    .description('show a package: metadata, files, channels, grid')
    .argument('<model>', 'registry name, ./path or file:///abs/path')
    .option('--registry <dir>', 'registry folder (default: $NUNATAK_MODEL_REGISTRY)')
    .action(async (ref: string, opts: { registry?: string }) => {
      const { findPackage } = await import('../../models/registry.js');
      const { describePackage } = await import('../../models/describe.js');
      const { getLogMode } = await import('../../core/log.js');
      const pkg = findPackage(ref, { registry: opts.registry });
      if (getLogMode() === 'json') process.stdout.write(JSON.stringify({ name: pkg.name, dir: pkg.dir, metadata: pkg.meta }) + '\n');
      else process.stdout.write(describePackage(pkg) + '\n');
    });
}
