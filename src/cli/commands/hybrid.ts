/** `nunatak hybrid train|test|simulate <config.yaml>`: differentiable hybrid (δHBV-style) models. */
import type { Command } from 'commander';

const DESCRIPTION = {
  train: 'train on random basins × windows; checkpoints and normalisation stats go to save_path',
  test: 'run the test period and write streamflow.csv, metrics.json, metrics_agg.json',
  simulate: 'run the simulation period and write streamflow.csv (a trained model, or fixed parameters with model.nn.model none)',
} as const;

export function register(program: Command): void {
  const h = program
    .command('hybrid')
    .description('train, test or run NN-parameterised process models (δHBV)')
    .addHelpText('after', '\nExample:\n  nunatak hybrid train examples/dhbv/dhbv.yaml && nunatak hybrid test examples/dhbv/dhbv.yaml\n');
  for (const mode of ['train', 'test', 'simulate'] as const) {
    h.command(`${mode} <config>`)
      .description(DESCRIPTION[mode])
      .addHelpText('after', `\nExample:\n  nunatak hybrid ${mode} examples/dhbv/dhbv.yaml      # a δMG-style config (docs/hybrid.md)\n`)
      .action(async (config: string) => {
        const { loadConfig } = await import('../../hybrid/train/config.js');
        const { train, evaluate } = await import('../../hybrid/train/trainer.js');
        const { emit } = await import('../output.js');
        const cfg = loadConfig(config);
        if (mode === 'train') {
          const r = await train(cfg);
          emit({ event: 'hybrid-train', epochs: r.epochs, losses: r.losses }, `trained ${r.epochs} epochs; mean loss per epoch: ${r.losses.map((l) => l.toFixed(4)).join(', ')}`);
        } else {
          const r = await evaluate(cfg, mode === 'test' ? 'test' : 'simulation');
          const lines = [`wrote ${r.dir}`, ...Object.entries(r.metrics ?? {}).map(([id, m]) => `${id}: NSE ${m.nse.toFixed(3)} KGE ${m.kge.toFixed(3)}`)];
          emit({ event: `hybrid-${mode}`, folder: r.dir, metrics: r.metrics }, lines);
        }
      });
  }
}
