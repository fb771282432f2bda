/** `nunatak config show <experiment.yaml> [overrides…]`: the resolved config as YAML. */
import type { Command } from 'commander';
import { collect } from '../table-options.js';

export function register(program: Command): void {
  const config = program
    .command('config')
    .description('inspect experiment configs: the resolved values of an experiment and its overrides')
    .addHelpText('after', '\nExample:\n  nunatak config show examples/hintereisferner processes.time.end=2050\n');
  config
    .command('show')
    .description('print the resolved config (module defaults < experiment < overrides)')
    .argument('<experiment>', 'experiment YAML, a folder holding experiment.yaml, or a run folder (its config.yaml)')
    .argument('[overrides...]', 'key.path=value, +new.key=value, ~added.key, processes=[a,b]')
    .option('-m, --multirun', 'expand sweeps (key=a,b) into the cartesian product')
    .option('--catalog <entrypoint>', 'module catalogue to add: file.ts#register (repeatable) (default: none)', collect, [])
    .option('--user <root>', 'folder holding user/code and user/conf (default: the experiment folder)')
    .option('--save <dir>', 'also write the resolved config to <dir>/config.yaml (default: none, print only)')
    .addHelpText('after', '\nExample:\n  nunatak config show examples/hintereisferner processes.time.end=2050\n  nunatak config show examples/hintereisferner -m processes.time.end=2030,2040   # one config per member\n')
    .action(async (experiment: string, overrides: string[], opts: { multirun?: boolean; catalog: string[]; user?: string; save?: string }) => {
      const { join } = await import('node:path');
      const { buildCatalog } = await import('../catalog.js');
      const { locateExperiment } = await import('../../sim/experiment.js');
      const { resolveConfig, resolveMultirun, saveResolved, toYaml } = await import('../../core/config/index.js');
      const { getLogMode } = await import('../../core/log.js');
      // the same lookup as `nunatak run`: folders, IGM layout, a run folder's config.yaml with its sim.root
      const loc = locateExperiment(experiment);
      const catalog = await buildCatalog({ catalog: opts.catalog, userRoot: opts.user ?? loc.root });
      const input = { experimentFile: loc.file, overrides, catalog };
      const runs = opts.multirun ? resolveMultirun(input) : [{ label: '', overrides, config: resolveConfig(input) }];
      runs.forEach((r, i) => {
        if (opts.save) saveResolved(runs.length > 1 ? join(opts.save, String(i)) : opts.save, r.config);
        if (getLogMode() === 'json') {
          process.stdout.write(JSON.stringify({ label: r.label, selection: r.config.selection, values: r.config.values }) + '\n');
        } else {
          if (opts.multirun) process.stdout.write(`${i > 0 ? '\n' : ''}# run ${i}: ${r.label || '(no sweep)'}\n`);
          process.stdout.write(toYaml(r.config));
        }
      });
    });
}
