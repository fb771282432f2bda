/** `nunatak help <module>`: a module's parameters with type, units, default and help. */
import type { Command } from 'commander';
import { collect, loadLazyTableOptions } from '../table-options.js';

export function register(program: Command): void {
  program.helpCommand(false); // this command replaces commander's `help [command]`
  program
    .command('help')
    .description('show a module\'s parameters (or a command\'s help)')
    .argument('[module]', 'module name or kind/name, e.g. iceflow or processes/iceflow; or a command name')
    .option('--catalog <entrypoint>', 'module catalogue to add: file.ts#register (repeatable) (default: none)', collect, [])
    .option('--user <root>', 'folder holding user/code and user/conf', '.')
    .addHelpText('after', '\nExample:\n  nunatak help iceflow              # parameters of processes/iceflow: type, units, default, help\n  nunatak help run                  # the same as nunatak run --help\n')
    .action(async (name: string | undefined, opts: { catalog: string[]; user: string }) => {
      if (!name) return program.help();
      const sub = program.commands.find((c) => c.name() === name && c.name() !== 'help');
      if (sub) {
        await loadLazyTableOptions(sub);
        return sub.help();
      }
      const { buildCatalog } = await import('../catalog.js');
      const { formatModuleHelp } = await import('../../core/config/index.js');
      const { NunatakError, didYouMean } = await import('../../core/errors.js');
      const catalog = await buildCatalog({ catalog: opts.catalog, userRoot: opts.user });
      const hits = catalog.find(name);
      if (hits.length === 0) {
        const all = catalog.kinds.flatMap((k) => catalog.names(k).map((n) => `${k}/${n}`));
        const candidates = name.includes('/') ? all : all.map((a) => a.split('/')[1]);
        throw new NunatakError('CONFIG', `no module named '${name}'${didYouMean(name, new Set(candidates))}`, {
          hint: `modules: ${all.join(', ') || '(none registered)'}; commands: ${program.commands.map((c) => c.name()).join(', ')}`,
        });
      }
      for (const e of hits) {
        const d = e.defaultsFile ? catalog.moduleDefaults(e.kind, e.name) : { defaults: {}, schema: { kind: 'group' as const, children: new Map() }, file: '(no parameters)' };
        process.stdout.write(formatModuleHelp(`${e.kind}/${e.name}${e.origin === 'user' ? ' (user)' : ''}`, d) + '\n');
      }
    });
}
