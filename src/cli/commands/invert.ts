/** `nunatak invert <obs.nc> --out DIR [--key value …]`: invert ice thickness (IGM's optimize, SIA flow). */
import type { Command } from 'commander';
import { addTableOptionsLazily, describeOption, readTableOptions, type TableOption } from '../table-options.js';

/** One flag per option of the optimize module (meaning, unit, default read from its YAML); IGM's snake_case names are aliases. */
async function invertTable(): Promise<TableOption[]> {
  // Loaded when `invert` runs: reading the module YAML through core/config costs every other command ~0.1 s.
  const { invertOptionSpecs } = await import('../../sim/invert/option-specs.js');
  return invertOptionSpecs().map(([key, s]) => ({
    name: key,
    value: s.type === 'list' ? `${s.items ?? 'string'},…` : s.type === 'enum' ? 'name' : s.type,
    description: describeOption(s.help, { unit: s.units, choices: s.choices, default: s.default }),
  }));
}

export function register(program: Command): void {
  const cmd = program
    .command('invert')
    .description(
      'invert ice thickness (and optionally the sliding coefficient) from observations by differentiating the SIA ice-flow model (L-BFGS on the ' +
        'cost of IGM optimize); writes optimize.nc (thk, topg = usurf − thk, …), costs.csv (cost components per iteration) and PNG maps',
    )
    .argument('<observations>', 'NetCDF with x/y and usurf or usurfobs (m), icemask (1/0); optional uvelsurfobs, vvelsurfobs (m/a), thkobs (m, NaN where none), smb (m ice eq./a), dhdt (m/a), thkinit (m), slidingco')
    .requiredOption('-o, --out <dir>', 'folder for optimize.nc, costs.csv, thk.png, topg.png, velsurf_mag.png, costs.png');
  const table = addTableOptionsLazily(cmd, invertTable);
  cmd
    .addHelpText(
      'after',
      '\nIGM\'s option names (--velsurfobs_std) are accepted too.\nExample:\n' +
        '  nunatak invert obs.nc --out inv                          # surface + whatever velocities / thickness / smb the file holds\n' +
        '  nunatak invert obs.nc --out inv --velsurfobs-std 3 --regu-param-thk 3\n' +
        '  nunatak invert obs.nc --out inv --control thk,usurf,slidingco --slidingco 0.0464\n' +
        '  nunatak invert obs.nc --out inv --cost usurf,divflux     # no velocities: flux divergence vs smb − dhdt\n' +
        'Cost terms are ½·mean((model − obs)/σ)² over the cells with data; see docs/sim.md, "Inversion".',
    )
    .action(async (file: string, opts: Record<string, string | undefined> & { out: string }) => {
      const { parseInvertOptions, runInvert } = await import('../../sim/invert/run-invert.js');
      const { log } = await import('../../core/log.js');
      const o = parseInvertOptions(readTableOptions(opts, await table()));
      const t0 = Date.now();
      const { result: r, files } = await runInvert(file, opts.out, o, (it, total) => {
        if (it % 50 === 0) log.info(`iteration ${it}: cost ${total.toPrecision(5)}`, { iteration: it, cost: total });
      });
      const { emit } = await import('../output.js');
      const seconds = (Date.now() - t0) / 1000;
      emit(
        { event: 'invert', iterations: r.iterations, reason: r.reason, seconds, volume_km3: r.volume / 1e9, mean_thickness_m: r.meanThk, files },
        `done: ${r.iterations} iterations (${r.reason}) in ${seconds.toFixed(1)} s; volume ${(r.volume / 1e9).toFixed(4)} km³, mean thickness ${r.meanThk.toFixed(1)} m → ${files.join(', ')}`,
      );
    });
}

