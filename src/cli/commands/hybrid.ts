/** `nunatak hybrid train|test|simulate <config.yaml>`: differentiable hybrid (δHBV-style) models. */
import type { Command } from 'commander';

export function register(program: Command): void {
  const h = program.command('hybrid').description('train, test or run NN-parameterised process models (δHBV)');
  for (const mode of ['train', 'test', 'simulate'] as const) {
    h.command(`${mode} <config>`)
      .description(
        mode === 'train'
          ? 'train on random basins × windows; checkpoints and normalisation stats go to save_path'
          : mode === 'test'
            ? 'run the test period and write streamflow.csv, metrics.json, metrics_agg.json'
            : 'run the simulation period and write streamflow.csv (a trained model, or fixed parameters with model.nn.model none)',
      )
      .action(async (config: string) => {
        const { loadConfig } = await import('../../hybrid/train/config.js');
        const { train, evaluate } = await import('../../hybrid/train/trainer.js');
        const { log } = await import('../../core/log.js');
        const cfg = loadConfig(config);
        if (mode === 'train') {
          const r = await train(cfg);
          log.info(`trained ${r.epochs} epochs; mean loss per epoch: ${r.losses.map((l) => l.toFixed(4)).join(', ')}`);
        } else {
          const r = await evaluate(cfg, mode === 'test' ? 'test' : 'simulation');
          log.info(`wrote ${r.dir}`);
          if (r.metrics) for (const [id, m] of Object.entries(r.metrics)) log.info(`${id}: NSE ${m.nse.toFixed(3)} KGE ${m.kge.toFixed(3)}`);
        }
      });
  }
}
