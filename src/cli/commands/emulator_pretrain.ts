/**
 * `nunatak emulator pretrain`: physics-informed pretraining of a Blatter–Pattyn
 * emulator (added to the `emulator` command registered by emulator.ts, which
 * sorts before this file).
 */
import type { Command } from 'commander';
import { NunatakError } from '../../core/errors.js';
import { PRETRAIN_OPTIONS } from '../../emulator/bp-pretrain.js';

const EXAMPLE = `
Every option: meaning [unit] (default). Example:
  nunatak emulator pretrain --out emulators/bp-small --nb_layers 8 --nb_out_filter 16 --epochs 50
  # then in an experiment: processes.iceflow: {method: emulated, emulator: emulators/bp-small}
`;

export function register(program: Command): void {
  const emu = program.commands.find((c) => c.name() === 'emulator');
  if (!emu) throw new NunatakError('CONFIG', "the 'emulator' command must be registered before 'emulator pretrain'");
  const cmd = emu
    .command('pretrain')
    .description('train a Blatter–Pattyn emulator (IGM CNN: raw thk, usurf, arrhenius, slidingco, dX → U, V on Nz levels) by minimising the BP energy of its output on synthetic glaciers and Hintereisferner; no data needed');
  for (const o of PRETRAIN_OPTIONS) {
    const unit = o.unit && o.unit !== '1' ? ` [${o.unit}]` : '';
    cmd.option(`--${o.name} <value>`, `${o.help}${unit}${o.default === '' ? '' : ` (default: ${String(o.default)})`}`);
  }
  cmd.addHelpText('after', EXAMPLE);
  cmd.action(async (raw: Record<string, string | undefined>) => {
    const { parsePretrainOptions, pretrainBPEmulator } = await import('../../emulator/bp-pretrain.js');
    const o = parsePretrainOptions(raw);
    const r = await pretrainBPEmulator(o);
    const first = r.history[0];
    const last = r.history.at(-1);
    process.stdout.write(`emulator: ${r.dir}\n`);
    process.stdout.write(`${r.parameters} parameters, ${r.geometries} geometries, ${r.history.length} epochs in ${r.seconds.toFixed(1)} s\n`);
    if (first && last) process.stdout.write(`mean energy ${first.loss.toPrecision(5)} → ${last.loss.toPrecision(5)} MPa m a-1\n`);
  });
}
