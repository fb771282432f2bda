/**
 * `nunatak script <file> [args...]`: runs a user's script — `.ts`, `.mts`,
 * `.js` or `.mjs`, in any folder, with or without a package.json — through the
 * user-code loader, so `import … from 'nunatak/udf'` (or any `nunatak/...`)
 * is the nunatak that runs it, also when nunatak is installed globally and the
 * folder has no node_modules. The script sees `process.argv` as under
 * `node script.mts args...`, so `isMain(import.meta.url)` holds in it.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('script')
    .description("run your own .ts/.mts/.js/.mjs script from any folder; its `nunatak/...` imports are this nunatak (no package.json or node_modules needed)")
    .argument('<file>', 'the script')
    .argument('[args...]', 'arguments the script reads from process.argv.slice(2) (put -- before ones that start with -)')
    .allowUnknownOption()
    .helpOption(false)
    .addHelpText('after', '\nExample:\n  nunatak script analyse.mts threads   # a UDF defined in analyse.mts, main part guarded by isMain(import.meta.url)')
    .action(async (file: string, args: string[]) => {
      const { runScript } = await import('../script.js');
      await runScript(file, args);
    });
}
