/** `nunatak emulator …`: train DLE-style emulators, export them to ONNX, import Keras model.h5. */
import type { Command } from 'commander';
import { addTableOptionsLazily, describeOption, readTableOptions, type TableOption } from '../table-options.js';

/** train's flags: one per option of the emulator's option table (help = meaning [unit] (default)), DLE spellings as aliases. */
async function trainTable(): Promise<TableOption[]> {
  // Loaded when `emulator train` runs: the options' zod schema costs every other command ~0.1 s.
  const { DLE_ALIASES, EMULATOR_DEFAULTS, EMULATOR_OPTION_DOCS, OPTION_NAMES, USEGPU_DOC } = await import('../../emulator/options.js');
  return [
    ...OPTION_NAMES.map((k) => {
      const d = EMULATOR_OPTION_DOCS[k];
      return {
        name: k,
        value: d.value,
        description: describeOption(d.help, { unit: d.unit, choices: d.choices, default: EMULATOR_DEFAULTS[k] }),
        aliases: Object.entries(DLE_ALIASES).filter(([, key]) => key === k).map(([dle]) => dle),
      };
    }),
    { name: 'usegpu', value: 'bool', description: describeOption(USEGPU_DOC, { default: true }) },
  ];
}

const TRAIN_HELP = `
Options are DLE's (jouvetg/dle), also accepted in DLE's spelling (--nb_layers, --thrice, --usegpu True).
The run writes <results-dir>/<dataset>+MAPTY-<maptype>+NETWO-…+RSAMP-<r>+TESTI-<0|1>/, named as DLE
names it (RSAMP-1.0), so --train false --predict true reuses a DLE or nunatak results folder there.

Example:
  nunatak emulator train --data-dir data --dataset cfsflow_100 --maptype f2 --epochs 50
  nunatak emulator train --config my-emulator.yaml --epochs 10     # flags override the YAML
  nunatak emulator train --config my-emulator.yaml --view          # learning curves live at http://127.0.0.1:8765/live
`;

export function register(program: Command): void {
  const emu = program
    .command('emulator')
    .description('2-D → 2-D neural emulators (DLE-style CNN / U-Net): train, pretrain, import-h5, export-onnx')
    .addHelpText('after', '\nExample:\n  nunatak emulator train --help            # every training option, with unit and default\n');
  const train = emu
    .command('train')
    .description('train (and predict with) an emulator; options as in DLE, from --config YAML and/or flags (flags win)')
    .option('--config <yaml>', 'YAML file of option: value pairs (snake_case names, as DLE) (default: none)')
    .option('--view', 'show training in the browser: prints a local address with the learning curves (train / validation loss per epoch) updating live; keeps serving after the run until Ctrl-C')
    .option('--view-port <n>', '--view: TCP port; 0 picks any free port (default: 8765)')
    .option('--view-host <addr>', '--view: interface to listen on (default: 127.0.0.1)');
  const table = addTableOptionsLazily(train, trainTable);
  train.addHelpText('after', TRAIN_HELP);
  train.action(async (opts: Record<string, string | undefined>) => {
    const { parseEmulatorOptions, readOptionsYaml, mergeOptionSources } = await import('../../emulator/options.js');
    const { runEmulator } = await import('../../emulator/run.js');
    const { emit } = await import('../output.js');
    const cli = readTableOptions(opts, await table());
    const config = opts.config;
    const o = parseEmulatorOptions(mergeOptionSources(config ? readOptionsYaml(config) : {}, cli), config ?? 'command line');
    const { trainWithView } = await import('../../view/live/train-view.js');
    const { result: r, hold } = await trainWithView(o, opts, runEmulator);
    const last = r.fit?.history.at(-1);
    const mae = r.scores.length ? r.scores.reduce((s, x) => s + x.mae, 0) / r.scores.length : undefined;
    emit(
      { event: 'emulator-train', results: r.dir, epochs: r.fit?.history.length, stopped_on: r.fit?.stoppedOn, loss: last?.loss, val_loss: last?.val_loss, test_frames: r.scores.length, mean_mae: mae },
      [
        `results: ${r.dir}`,
        ...(last ? [`epochs: ${r.fit!.history.length} (${r.fit!.stoppedOn}), loss ${last.loss.toPrecision(4)}, val_loss ${last.val_loss.toPrecision(4)}`] : []),
        ...(mae !== undefined ? [`test frames: ${r.scores.length}, mean MAE ${mae.toPrecision(4)} (output units)`] : []),
      ],
    );
    await hold();
  });
  emu
    .command('import-h5')
    .description('convert a DLE / IGM Keras model.h5 folder (with fieldin.dat, fieldout.dat) to a TF.js emulator folder')
    .argument('<src>', 'folder holding model.h5, fieldin.dat, fieldout.dat')
    .argument('<dest>', 'output folder (created)')
    .addHelpText('after', '\nExample:\n  nunatak emulator import-h5 igm/emulators/f15_cfsflow_GJ_22_a/100 f15-tfjs\n')
    .action(async (src: string, dest: string) => {
      const { loadEmulatorModel, saveEmulator } = await import('../../emulator/store.js');
      const { emit } = await import('../output.js');
      const { model, meta } = await loadEmulatorModel(src);
      await saveEmulator(dest, model, meta);
      const [ins, outs] = [meta.inputs, meta.outputs].map((cs) => cs.map((c) => c.name));
      emit({ event: 'emulator-import-h5', network: meta.network, inputs: ins, outputs: outs, folder: dest }, `${meta.network} emulator ${ins!.join(',')} → ${outs!.join(',')} written to ${dest}`);
    });
  emu
    .command('export-onnx')
    .description('write model.onnx (NCHW x → y) for an emulator folder (TF.js model.json or Keras model.h5)')
    .argument('<dir>', 'emulator folder')
    .option('-o, --out <dir>', 'folder to write model.onnx into (default: <dir>, the emulator folder)')
    .option('-f, --file <onnx>', 'the file to write, instead of <out>/model.onnx (default: none)')
    .addHelpText('after', '\nExample:\n  nunatak emulator export-onnx results/<run folder>                 # writes results/<run folder>/model.onnx\n  nunatak emulator export-onnx f15-tfjs --file f15.onnx\n')
    .action(async (dir: string, opts: { out?: string; file?: string }) => {
      const { writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { loadEmulatorModel } = await import('../../emulator/store.js');
      const { exportOnnx } = await import('../../emulator/onnx-export.js');
      const { prepareOutFile, ioError } = await import('../../core/out-path.js');
      const { log } = await import('../../core/log.js');
      const { emit } = await import('../output.js');
      let file = opts.file;
      if (!file && opts.out?.endsWith('.onnx')) {
        // before --file existed, --out named the file; keep such command lines working
        log.warn(`--out ${opts.out}: --out is a folder now; use --file ${opts.out} for a file`);
        file = opts.out;
      }
      const out = file ?? join(opts.out ?? dir, 'model.onnx');
      const { model } = await loadEmulatorModel(dir);
      try {
        writeFileSync(prepareOutFile(out, { what: 'ONNX model' }), exportOnnx(model));
      } catch (e) {
        throw ioError(out, 'cannot write the ONNX model', e);
      }
      emit({ event: 'emulator-export-onnx', file: out }, out);
    });
}
