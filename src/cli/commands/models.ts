/** `nunatak models list|show|run|score`: model packages, rollouts and forecast scores. */
import type { Command } from 'commander';

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('model packages (earth2mip-style): list, show, run (roll out), score')
    .addHelpText('after', '\nExample:\n  nunatak models list --registry examples/models\n');
  models
    .command('list')
    .description('list the packages in the model registry (NUNATAK_MODEL_REGISTRY)')
    .option('--registry <dir>', 'registry folder (default: $NUNATAK_MODEL_REGISTRY)')
    .addHelpText('after', '\nExample:\n  nunatak models list --registry examples/models     # exit 1 when a package there is broken\n')
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
    .addHelpText('after', '\nExample:\n  nunatak models show ./examples/models/persistence\n')
    .action(async (ref: string, opts: { registry?: string }) => {
      const { findPackage } = await import('../../models/registry.js');
      const { describePackage } = await import('../../models/describe.js');
      const { getLogMode } = await import('../../core/log.js');
      const pkg = findPackage(ref, { registry: opts.registry });
      if (getLogMode() === 'json') process.stdout.write(JSON.stringify({ name: pkg.name, dir: pkg.dir, metadata: pkg.meta }) + '\n');
      else process.stdout.write(describePackage(pkg) + '\n');
    });
  models
    .command('run')
    .description('roll a model out (deterministic or ensemble) from a JSON/YAML config into CF NetCDF (or a zarr store: output.path ending in .zarr)')
    .argument('<config>', 'run config (.json, .yaml); see docs/models.md')
    .option('--resume', 'continue an interrupted run from its progress file')
    .option('--overwrite', 'replace an existing output file (or zarr store)')
    .addHelpText('after', '\nExample:\n  nunatak models run examples/models/runs/persistence.yaml\n')
    .action(async (config: string, opts: { resume?: boolean; overwrite?: boolean }) => {
      const { loadRunConfig } = await import('../../models/run-config.js');
      const { runModels } = await import('../../models/run.js');
      const { progress } = await import('../../core/progress.js');
      const { cfg, text } = loadRunConfig(config);
      let bar: ReturnType<typeof progress> | undefined;
      const r = await runModels(cfg, {
        configText: text,
        resume: opts.resume,
        overwrite: opts.overwrite,
        onStep: (done, total) => {
          bar ??= progress('rollout', total, { unit: 'step' });
          bar.update(done);
        },
      });
      bar?.stop();
      const { emit } = await import('../output.js');
      emit(
        { event: 'models-run', file: r.path, init_times: r.initTimes, members: r.members, leads: r.leads, seconds: r.seconds },
        `wrote ${r.path}: ${r.initTimes} initial time(s) × ${r.members} member(s) × ${r.leads} lead(s) in ${r.seconds.toFixed(2)} s`,
      );
    });
  models
    .command('score')
    .description('score forecasts from `models run` (RMSE, ACC centred/uncentred, fair and standard CRPS, spread, spread-skill, rank histogram) → scores NetCDF + PNGs')
    .argument('<forecasts...>', 'forecast NetCDF files written by models run')
    .requiredOption('--data <file>', 'verification CF NetCDF file')
    .option('--lexicon <pairs>', 'channel=variable[,channel=variable…] (default: channel names = variable names)')
    .requiredOption('--climatology-years <a-b>', 'climatology = mean of the verification data over these years, e.g. 1860-2040')
    .requiredOption('-o, --out <dir>', 'output folder for scores NetCDF and PNGs')
    .addHelpText('after', '\nExample:\n  nunatak models score fc.nc --data era.nc --climatology-years 1990-2019 --out scores\n')
    .option('--labels <a,b>', 'names of the forecasts (default: their model names)')
    .action(async (files: string[], opts: { data: string; lexicon?: string; climatologyYears: string; out: string; labels?: string }) => {
      const { NetcdfSource } = await import('../../models/netcdf-source.js');
      const { climatologyFromYears, scoreForecast, writeScores } = await import('../../models/score.js');
      const { NunatakError } = await import('../../core/errors.js');
      const lexicon = opts.lexicon ? Object.fromEntries(opts.lexicon.split(',').map((p) => p.split('=') as [string, string])) : undefined;
      const m = /^(\d+)-(\d+)$/.exec(opts.climatologyYears);
      if (!m) throw new NunatakError('CONFIG', `--climatology-years '${opts.climatologyYears}': expected YEAR-YEAR`);
      const src = await NetcdfSource.open(opts.data, { lexicon });
      try {
        const clim = await climatologyFromYears(src, src.channels, Number(m[1]), Number(m[2]));
        const labels = opts.labels?.split(',');
        const results = [];
        for (const [i, f] of files.entries()) results.push(await scoreForecast(f, src, clim, labels?.[i]));
        const dh = results[0].leadHours[1] ?? 1;
        const unit = dh >= 8000 ? { name: 'a', hours: 8766 } : dh >= 24 ? { name: 'd', hours: 24 } : { name: 'h', hours: 1 };
        const written = await writeScores(opts.out, results, unit);
        const { emit } = await import('../output.js');
        emit(
          { event: 'models-score', files: written, forecasts: results.map((r) => ({ label: r.label, channels: r.scores.channels, lead_hours: r.leadHours, rmse: r.scores.rmse })) },
          [...results.map((r) => `${r.label}: ` + r.scores.channels.map((c, ci) => `${c} RMSE ${r.scores.rmse.map((row) => row[ci].toFixed(3)).join(' ')}`).join('; ')), `wrote ${written.join(', ')}`],
        );
      } finally {
        src.close();
      }
    });
}
