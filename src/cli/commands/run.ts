/** `nunatak run <experiment.yaml|dir> [key=value …] [-m]`: run a sim experiment. */
import type { Command } from 'commander';

const EXAMPLE = `
On a terminal a progress bar shows simulated years, rate and ETA (in place of the per-save lines);
--json prints one JSON line per save and a final {"event":"done",…} line; --quiet prints the result only.

Example:
  nunatak run examples/hintereisferner --out /tmp/hef processes.time.end=2030
  nunatak run examples/hintereisferner -m processes.time.end=2030,2050 --workers 2   # a sweep
`;

export function register(program: Command): void {
  program
    .command('run')
    .description('run a simulation experiment (inputs → processes → outputs); outputs go to outputs/<date>/<time>/ or --out')
    .argument('<experiment>', 'experiment YAML, or a folder holding experiment.yaml')
    .argument('[overrides...]', 'processes.time.end=2100, inputs=[synthetic], +new.key=value …')
    .option('-m, --multirun', 'expand sweeps (key=a,b) and run every member into numbered subfolders')
    .option('-o, --out <dir>', 'run folder (default: outputs/<date>/<time>/ in the current folder)')
    .option('--executor <kind>', 'multirun: inline | threads | distributed', 'threads')
    .option('--workers <n>', 'multirun: members run at once', '2')
    .option('--redis <url>', 'multirun with --executor distributed: Redis URL (required for distributed)')
    .option('--overwrite', 'replace an earlier nunatak run in --out (its files are removed first); without it a folder holding files is refused')
    .option('--debug', 'check every field after every module for NaN/Inf and name the module that wrote it (sets sim.debug=true)')
    .option('--restart <file@time>', 'start from the record at <time> (a) of an earlier output.nc (sets inputs=[local] on it and processes.time.start) (default: none)')
    .addHelpText('after', EXAMPLE)
    .action(async (experiment: string, overrides: string[], opts: { multirun?: boolean; out?: string; workers: string; restart?: string; executor: string; redis?: string; overwrite?: boolean; debug?: boolean }) => {
      const { runExperiment, planMultirun, restartOverrides } = await import('../../sim/run.js');
      const { progress } = await import('../../core/progress.js');
      const { getLogMode } = await import('../../core/log.js');
      const { emit } = await import('../output.js');
      // a bar only on a terminal in normal mode: --json, --quiet / NUNATAK_QUIET and pipes keep their lines
      const bar = getLogMode() === 'normal' && process.stderr.isTTY === true;
      const all = [...overrides, ...(opts.debug ? ['sim.debug=true'] : []), ...(opts.restart ? restartOverrides(opts.restart) : []), ...(bar && !opts.multirun ? ['sim.progress=false'] : [])];
      if (!opts.multirun) {
        let p: ReturnType<typeof progress> | undefined;
        const r = await runExperiment({
          experiment,
          overrides: all,
          outDir: opts.out,
          overwrite: opts.overwrite,
          onProgress: (s, span) => {
            if (!bar || !span || !(span.end > span.start)) return;
            p ??= progress('run', span.end - span.start, { unit: 'a', mode: 'bar', fields: ['t', 'volume'] });
            p.update(Math.min(s.t - span.start, span.end - span.start), { t: s.t, volume: `${s.volume.toFixed(4)} km³` });
          },
        }).finally(() => p?.stop());
        emit({ event: 'done', t: r.t, volume_km3: r.volume, area_km2: r.area, folder: r.outDir }, `done: t = ${r.t} a, volume = ${r.volume.toFixed(4)} km³, area = ${r.area.toFixed(3)} km² → ${r.outDir}`);
        return;
      }
      const { runMultirun } = await import('../../sim/multirun.js');
      const plan = planMultirun({ experiment, overrides: all, outDir: opts.out, overwrite: opts.overwrite });
      const p = bar ? progress('multirun', plan.members.length, { unit: 'member', mode: 'bar' }) : undefined;
      try {
        for await (const m of runMultirun(plan.members, { executor: opts.executor as 'inline' | 'threads' | 'distributed', workers: Number(opts.workers), redis: opts.redis })) {
          p?.tick();
          const s = m.summary;
          emit({ event: 'member', index: m.index, label: m.label, t: s.t, volume_km3: s.volume, area_km2: s.area, folder: s.outDir }, `member ${m.index} (${m.label}): t = ${s.t} a, volume = ${s.volume.toFixed(4)} km³ → ${s.outDir}`);
        }
      } finally {
        p?.stop();
      }
      emit({ event: 'multirun-done', members: plan.members.length, folder: plan.root }, `multirun done → ${plan.root}`);
    });
}
