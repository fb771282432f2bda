/** `nunatak view [paths…]`: browse NetCDF / GeoTIFF / npy files in a local browser page (read-only). */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('view')
    .description('serve a local, read-only web page showing the given files and folders: variables, maps with sliders, series')
    .argument('<paths...>', 'files and folders to serve (nothing outside them is readable)')
    .option('--port <n>', 'TCP port; 0 picks any free port (default: 8765)', (v) => Number.parseInt(v, 10))
    .option('--host <addr>', 'interface to listen on; anything but 127.0.0.1 / localhost makes the page reachable from other machines (default: 127.0.0.1)')
    .addHelpText('after', '\nExample:\n  nunatak view outputs/hintereisferner\n  nunatak view data/netcdf/A1B_north_america.nc --port 0\n')
    .action(async (paths: string[], opts: { port?: number; host?: string }) => {
      const { startViewServer, DEFAULT_VIEW_PORT } = await import('../../view/index.js');
      const { emit } = await import('../output.js');
      const v = await startViewServer({ paths, port: opts.port ?? DEFAULT_VIEW_PORT, host: opts.host });
      emit({ url: v.url, port: v.port, paths }, `nunatak view: ${v.url}  (serving ${paths.join(', ')}; Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = () => void v.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
