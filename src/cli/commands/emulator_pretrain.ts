/**
 * `nunatak emulator pretrain`: physics-informed pretraining of a Blatter–Pattyn
 * emulator (added to the `emulator` command registered by emulator.ts, which
 * sorts before this file).
 */
import type { Command } from 'commander';
import { NunatakError } from '../../core/errors.js';
import { PRETRAIN_OPTIONS } from '../../emulator/bp-pretrain-options.js';
import { addTableOptions, describeOption, readTableOptions, type TableOption } from '../table-options.js';

const TABLE: TableOption[] = PRETRAIN_OPTIONS.map((o) => ({ name: o.name, description: describeOption(o.help, { unit: o.unit, default: o.default }) }));

const EXAMPLE = `
Every option: meaning [unit] (default). IGM's snake_case names (--nb_layers) are accepted too.
Example:
  nunatak emulator pretrain --out emulators/bp-small --nb-layers 8 --nb-out-filter 16 --epochs 50
  # then in an experiment: processes.iceflow: {method: emulated, emulator: emulators/bp-small}
`;

export function register(program: Command): void {
  const emu = program.commands.find((c) => c.name() === 'emulator');
  if (!emu) throw new NunatakError('CONFIG', "the 'emulator' command must be registered before 'emulator pretrain'");
  const cmd = emu
    .command('pretrain')
    .description('train a Blatter–Pattyn emulator (IGM CNN: raw thk, usurf, arrhenius, slidingco, dX → U, V on Nz levels) by minimising the BP energy of its output on synthetic glaciers and Hintereisferner; no data needed');
  addTableOptions(cmd, TABLE);
  cmd.addHelpText('after', EXAMPLE);
  cmd.action(async (raw: Record<string, string | undefined>) => {
    const { parsePretrainOptions, pretrainBPEmulator } = await import('../../emulator/bp-pretrain.js');
    const o = parsePretrainOptions(readTableOptions(raw, TABLE));
    const r = await pretrainBPEmulator(o);
    const first = r.history[0];
    const last = r.history.at(-1);
    const { emit } = await import('../output.js');
    emit(
      { event: 'emulator-pretrain', emulator: r.dir, parameters: r.parameters, geometries: r.geometries, epochs: r.history.length, seconds: r.seconds, first_energy: first?.loss, last_energy: last?.loss },
      [
        `emulator: ${r.dir}`,
        `${r.parameters} parameters, ${r.geometries} geometries, ${r.history.length} epochs in ${r.seconds.toFixed(1)} s`,
        ...(first && last ? [`mean energy ${first.loss.toPrecision(5)} → ${last.loss.toPrecision(5)} MPa m a-1`] : []),
      ],
    );
  });
}
