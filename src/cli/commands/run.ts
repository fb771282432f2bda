/** `nunatak run <experiment.yaml|dir> [key=value …] [-m]`: run a sim experiment. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('run')
    .description('run a simulation experiment (inputs → processes → outputs); outputs go to outputs/<date>/<time>/ or --out')
    .argument('<experiment>', 'experiment YAML, or a folder holding experiment.yaml')
    .argument('[overrides...]', 'processes.time.end=2100, inputs=[synthetic], +new.key=value …')
    .option('-m, --multirun', 'expand sweeps (key=a,b) and run every member into numbered subfolders')
    .option('-o, --out <dir>', 'run folder (default outputs/<date>/<time>/ in the current folder)')
    .option('--executor <kind>', 'multirun: inline | threads | distributed', 'threads')
    .option('--workers <n>', 'multirun: members run at once', '2')
    .option('--redis <url>', 'multirun with --executor distributed: Redis URL')
    .option('--overwrite', 'replace an earlier nunatak run in --out (its files are removed first); without it a folder holding files is refused')
    .option('--debug', 'check every field after every module for NaN/Inf and name the module that wrote it (sets sim.debug=true)')
    .option('--restart <file@time>', 'start from the record at <time> (a) of an earlier output.nc (sets inputs=[local] on it and processes.time.start)')
    .action(async (experiment: string, overrides: string[], opts: { multirun?: boolean; out?: string; workers: string; restart?: string; executor: string; redis?: string; overwrite?: boolean; debug?: boolean }) => {
      const { runExperiment, planMultirun, restartOverrides } = await import('../../sim/run.js');
      const all = [...overrides, ...(opts.debug ? ['sim.debug=true'] : []), ...(opts.restart ? restartOverrides(opts.restart) : [])];
      if (!opts.multirun) {
        const r = await runExperiment({ experiment, overrides: all, outDir: opts.out, overwrite: opts.overwrite });
        process.stdout.write(`done: t = ${r.t} a, volume = ${r.volume.toFixed(4)} km³, area = ${r.area.toFixed(3)} km² → ${r.outDir}\n`);
        return;
      }
      const { runMultirun } = await import('../../sim/multirun.js');
      const plan = planMultirun({ experiment, overrides: all, outDir: opts.out, overwrite: opts.overwrite });
      for await (const m of runMultirun(plan.members, { executor: opts.executor as 'inline' | 'threads' | 'distributed', workers: Number(opts.workers), redis: opts.redis })) {
        process.stdout.write(`member ${m.index} (${m.label}): t = ${m.summary.t} a, volume = ${m.summary.volume.toFixed(4)} km³ → ${m.summary.outDir}\n`);
      }
      process.stdout.write(`multirun done → ${plan.root}\n`);
    });
}
