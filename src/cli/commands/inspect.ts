/** `nunatak inspect <file>`: ncdump -h-like summary of a NetCDF/HDF5, .npy or GeoTIFF file, or a PNG map of one field. */
import { Option, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('inspect')
    .description('summarise a NetCDF3, NetCDF4/HDF5, .npy or GeoTIFF file (dimensions, variables, attributes), like ncdump -h')
    .argument('<file>', 'file to summarise')
    .option('--stats [var]', 'also print min/max/mean/NaN count of a variable (NetCDF) or of the array (npy; no VAR) (default: off)')
    .option('--plot [var]', 'render a 2-D slice of VAR (NetCDF) or band 1 (GeoTIFF) to a PNG map; VAR is needed for NetCDF (default: off)')
    .option('--time <i>', 'index along the leading time/level axis for --plot (default: 0)', (v) => Number.parseInt(v, 10))
    .option('--colormap <name>', 'colormap for --plot: viridis, terrain, RdBu, magma, Blues… (default: viridis; terrain for GeoTIFF)')
    .option('-f, --file <png>', 'the PNG --plot writes (default: <file>.<var>.png)')
    .addOption(new Option('-o, --output <png>', 'deprecated spelling of --file').hideHelp())
    .addHelpText('after', '\nExample:\n  nunatak inspect output.nc --stats thk\n  nunatak inspect output.nc --plot thk --time 5 --file thk.png\n')
    .action(async (file: string, opts: { stats?: string | boolean; plot?: string | boolean; time?: number; colormap?: string; file?: string; output?: string }) => {
      const { inspectFile, plotFile } = await import('../../io/inspect/inspect-file.js');
      if (opts.plot !== undefined) {
        const { writeFileSync } = await import('node:fs');
        const variable = typeof opts.plot === 'string' ? opts.plot : undefined;
        const png = await plotFile(file, { variable, time: opts.time, colormap: opts.colormap });
        const out = opts.file ?? opts.output ?? `${file}.${variable ?? 'band1'}${opts.time !== undefined ? `.t${opts.time}` : ''}.png`;
        const { prepareOutFile, ioError } = await import('../../core/out-path.js');
        try {
          writeFileSync(prepareOutFile(out, { what: 'PNG' }), png);
        } catch (e) {
          throw ioError(out, 'cannot write PNG', e);
        }
        process.stdout.write(`wrote ${out}\n`);
        return;
      }
      process.stdout.write((await inspectFile(file, { stats: opts.stats })) + '\n');
    });
}
