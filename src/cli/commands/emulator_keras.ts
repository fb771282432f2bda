/**
 * `nunatak emulator export-keras`: write the Keras 2.x model.h5 (+ fieldin.dat,
 * fieldout.dat) that IGM and DLE load with tf.keras.models.load_model (added to
 * the `emulator` command registered by emulator.ts, which sorts before this file).
 */
import type { Command } from 'commander';
import { NunatakError } from '../../core/errors.js';

const EXAMPLE = `
Writes <out>/model.h5 in Keras 2.4's HDF5 layout (training_config from the
folder's dle-run-parameters.txt when present) and copies fieldin.dat and
fieldout.dat. Training already writes model.h5 into its results folder; use
this for older folders or to make an IGM emulator folder elsewhere.

Example:
  nunatak emulator export-keras results/<run folder> --out igm-run/emulator/f2/100
`;

export function register(program: Command): void {
  const emu = program.commands.find((c) => c.name() === 'emulator');
  if (!emu) throw new NunatakError('CONFIG', "the 'emulator' command must be registered before 'emulator export-keras'");
  emu
    .command('export-keras')
    .description('write a Keras 2.x model.h5 (IGM 1.x / DLE layout) with fieldin.dat and fieldout.dat for an emulator folder (TF.js model.json)')
    .argument('<dir>', 'emulator folder made by nunatak emulator train or pretrain')
    .option('-o, --out <folder>', 'output folder (default: <dir> itself)')
    .addHelpText('after', EXAMPLE)
    .action(async (dir: string, opts: { out?: string }) => {
      const { exportKerasFolder } = await import('../../emulator/keras-folder.js');
      const r = await exportKerasFolder(dir, opts.out ?? dir);
      const { emit } = await import('../output.js');
      emit({ event: 'emulator-export-keras', file: r.file, layers: r.layers, parameters: r.parameters }, `${r.file} (${r.layers} layers, ${r.parameters} parameters)`);
    });
}
