/** `nunatak udf run`: run a built-in or user UDF over a dataset. */
import type { Command } from 'commander';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command): void {
  const udf = program
    .command('udf')
    .description('user-defined map-reduce over large datasets (LiberTEM-style UDFs)')
    .addHelpText('after', '\nExample:\n  nunatak udf run sum -d data.npy --sig-dims 2 --out out\n');
  udf
    .command('run')
    .description('run a UDF (built-in: sum, sumsig, stddev, logsum, masks, com, pick; or ./file.ts#Export) over a dataset')
    .argument('<udf>', 'built-in name or ./my_udf.ts#MyUDF')
    .requiredOption('-d, --dataset <path>', '.npy, NetCDF3/NetCDF4 (.nc, with --variable), or raw binary file (then --nav-shape, --sig-shape, --dtype)')
    .option('--nav-shape <dims>', 'navigation shape, e.g. 128,128 (required for raw files)')
    .option('--sig-shape <dims>', 'signal shape, e.g. 128,128 (required for raw files)')
    .option('--sig-dims <n>', '.npy / NetCDF: number of trailing signal axes (default: 2)')
    .option('--variable <name>', 'NetCDF file: the variable to read (nav = leading axes; CF-decoded) (required for NetCDF)')
    .option('--dtype <dtype>', 'raw: float32, float64, uint16, ... (required for raw files)')
    .option('--offset <bytes>', 'raw: header bytes to skip', '0')
    .option('--sync-offset <frames>', 'skip (+) or pad (−) frames at the start', '0')
    .option('--params <json>', 'UDF parameters as a JSON object (default: {})')
    .option('--disk <cy,cx,r>', 'masks: add a disk detector (pixels; repeatable) (default: none)', collect)
    .option('--ring <cy,cx,ri,ro>', 'masks: add a ring detector (pixels; repeatable) (default: none)', collect)
    .option('--roi <file.npy>', 'boolean/0-1 mask over the nav shape (default: every frame)')
    .option('-e, --executor <kind>', 'inline | threads | distributed', 'threads')
    .option('-w, --workers <n>', 'threads: pool size; distributed: expected workers (default: the CPU count; distributed: the workers connected)')
    .option('--redis <url>', 'distributed: Redis URL (required for distributed)')
    .option('--partition-mib <mib>', 'partition size (MiB of float32 pixels) (default: 512, at least one partition per worker)')
    .option('-o, --out <dir>', 'output folder', 'outputs/udf')
    .option('--no-netcdf', 'do not write <out>/<udf>.nc (CF NetCDF4 with all results)')
    .option('--zarr', 'also write <out>/<udf>.zarr (zarr store, same results and CF metadata as the .nc; read with xarray.open_zarr)')
    .option('--zarr-format <n>', 'zarr format of --zarr: 2 (read by xarray with zarr-python 2) or 3 (zarr v3 readers only) (default: 2)')
    .option('--png', 'also write PNGs of 2-D results (refreshed live during the run)')
    .option('--no-progress', 'no progress bar')
    .option('--view', 'show the run in the browser: prints a local address where the result buffers fill in per merged partition, with a progress bar; keeps serving after the run until Ctrl-C')
    .option('--view-port <n>', '--view: TCP port; 0 picks any free port (default: 8765)')
    .option('--view-host <addr>', '--view: interface to listen on (default: 127.0.0.1)')
    .addHelpText('after', '\nExample:\n  nunatak udf run sum -d scan.npy --sig-dims 2 --out out\n  nunatak udf run ./my_udf.ts#MyUDF -d hadcm3.nc --variable tas --sig-dims 2 --png\n  nunatak udf run sumsig -d scan.npy --view           # watch it at http://127.0.0.1:8765/live\n')
    .action(async (_name: string, o: Record<string, unknown>, cmd: Command) => {
      const { udfRunCli } = await import('../../udf/cli-run.js');
      await udfRunCli({ ...(o as object), udf: cmd.args[0] } as never);
    });
}
