/** `nunatak emulator …`: train DLE-style emulators, export them to ONNX, import Keras model.h5. */
import type { Command } from 'commander';
import { OPTION_NAMES } from '../../emulator/options.js';

export function register(program: Command): void {
  const emu = program.command('emulator').description('2-D → 2-D neural emulators (DLE-style CNN / U-Net)');
  const train = emu
    .command('train')
    .description('train (and predict with) an emulator; options as in DLE, from --config YAML and/or flags (flags win)')
    .option('--config <yaml>', 'YAML file with option: value pairs');
  for (const name of OPTION_NAMES) train.option(`--${name} <value>`, `DLE option ${name} (see docs/emulator.md)`);
  train.action(async (opts: Record<string, string | undefined>) => {
    const { parseEmulatorOptions, readOptionsYaml, mergeOptionSources } = await import('../../emulator/options.js');
    const { runEmulator } = await import('../../emulator/run.js');
    const { config, ...cli } = opts;
    const o = parseEmulatorOptions(mergeOptionSources(config ? readOptionsYaml(config) : {}, cli), config ?? 'command line');
    const r = await runEmulator(o);
    const last = r.fit?.history.at(-1);
    process.stdout.write(`results: ${r.dir}\n`);
    if (last) process.stdout.write(`epochs: ${r.fit!.history.length} (${r.fit!.stoppedOn}), loss ${last.loss.toPrecision(4)}, val_loss ${last.val_loss.toPrecision(4)}\n`);
    if (r.scores.length) {
      const mae = r.scores.reduce((s, x) => s + x.mae, 0) / r.scores.length;
      process.stdout.write(`test frames: ${r.scores.length}, mean MAE ${mae.toPrecision(4)} (output units)\n`);
    }
  });
  emu
    .command('import-h5')
    .description('convert a DLE / IGM Keras model.h5 folder (with fieldin.dat, fieldout.dat) to a TF.js emulator folder')
    .argument('<src>', 'folder holding model.h5, fieldin.dat, fieldout.dat')
    .argument('<dest>', 'output folder')
    .action(async (src: string, dest: string) => {
      const { loadEmulatorModel, saveEmulator } = await import('../../emulator/store.js');
      const { model, meta } = await loadEmulatorModel(src);
      await saveEmulator(dest, model, meta);
      process.stdout.write(`${meta.network} emulator ${meta.inputs.map((c) => c.name).join(',')} → ${meta.outputs.map((c) => c.name).join(',')} written to ${dest}\n`);
    });
  emu
    .command('export-onnx')
    .description('write model.onnx (NCHW x → y) for an emulator folder (TF.js model.json or Keras model.h5)')
    .argument('<dir>', 'emulator folder')
    .option('-o, --out <file>', 'output file (default <dir>/model.onnx)')
    .action(async (dir: string, opts: { out?: string }) => {
      const { writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { loadEmulatorModel } = await import('../../emulator/store.js');
      const { exportOnnx } = await import('../../emulator/onnx-export.js');
      const { model } = await loadEmulatorModel(dir);
      const out = opts.out ?? join(dir, 'model.onnx');
      writeFileSync(out, exportOnnx(model));
      process.stdout.write(`${out}\n`);
    });
}
