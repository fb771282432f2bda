/** `nunatak invert <obs.nc> --out DIR [--key value …]`: invert ice thickness (IGM's optimize, SIA flow). */
import type { Command } from 'commander';
import { invertOptionSpecs } from '../../sim/invert/option-specs.js';

export function register(program: Command): void {
  const cmd = program
    .command('invert')
    .description(
      'invert ice thickness (and optionally the sliding coefficient) from observations by differentiating the SIA ice-flow model (L-BFGS on the ' +
        'cost of IGM optimize); writes optimize.nc (thk, topg = usurf − thk, …), costs.csv (cost components per iteration) and PNG maps',
    )
    .argument('<observations>', 'NetCDF with x/y and usurf or usurfobs (m), icemask (1/0); optional uvelsurfobs, vvelsurfobs (m/a), thkobs (m, NaN where none), smb (m ice eq./a), dhdt (m/a), thkinit (m), slidingco')
    .requiredOption('-o, --out <dir>', 'folder for optimize.nc, costs.csv, thk.png, topg.png, velsurf_mag.png, costs.png');
  // every option of the optimize module, with its meaning, unit and default (read from its YAML)
  for (const [key, s] of invertOptionSpecs()) {
    const unit = s.units && s.units !== '1' ? ` [${s.units}]` : '';
    const def = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
    const type = s.type === 'list' ? `${s.items ?? 'string'},…` : s.type === 'enum' ? 'name' : s.type;
    const choices = s.choices ? ` (one of ${s.choices.join(', ')})` : '';
    cmd.option(`--${key} <${type}>`, `${s.help}${unit}${choices} (default ${def})`);
  }
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  nunatak invert obs.nc --out inv                          # surface + whatever velocities / thickness / smb the file holds\n' +
        '  nunatak invert obs.nc --out inv --velsurfobs_std 3 --regu_param_thk 3\n' +
        '  nunatak invert obs.nc --out inv --control thk,usurf,slidingco --slidingco 0.0464\n' +
        '  nunatak invert obs.nc --out inv --cost usurf,divflux     # no velocities: flux divergence vs smb − dhdt\n' +
        'Cost terms are ½·mean((model − obs)/σ)² over the cells with data; see docs/sim.md, "Inversion".',
    )
    .action(async (file: string, opts: Record<string, string | undefined> & { out: string }) => {
      const { parseInvertOptions, runInvert } = await import('../../sim/invert/run-invert.js');
      const o = parseInvertOptions(opts);
      const t0 = Date.now();
      const { result: r, files } = await runInvert(file, opts.out, o, (it, total) => {
        if (it % 50 === 0) process.stderr.write(`iteration ${it}: cost ${total.toPrecision(5)}\n`);
      });
      process.stdout.write(
        `done: ${r.iterations} iterations (${r.reason}) in ${((Date.now() - t0) / 1000).toFixed(1)} s; volume ${(r.volume / 1e9).toFixed(4)} km³, ` +
          `mean thickness ${r.meanThk.toFixed(1)} m → ${files.join(', ')}\n`,
      );
    });
}

