/** `nunatak inspect <file>`: ncdump -h-like summary of a NetCDF/HDF5 or .npy file. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('inspect')
    .description('summarise a NetCDF3, NetCDF4/HDF5 or .npy file (dimensions, variables, attributes), like ncdump -h')
    .argument('<file>', 'file to summarise')
    .option('--stats [var]', 'also print min/max/mean/NaN count of a variable (NetCDF) or of the array (npy)')
    .action(async (file: string, opts: { stats?: string | boolean }) => {
      const { inspectFile } = await import('../../io/inspect/inspect-file.js');
      process.stdout.write((await inspectFile(file, { stats: opts.stats })) + '\n');
    });
}
