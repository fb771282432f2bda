/**
 * One emulated BP step (CNN inference, ONNX Runtime) vs one solved BP step
 * (L-BFGS from zero velocity) on the Hintereisferner grid, with the accuracy
 * of the emulated field. Callable (`benchEmulatedVsSolved`) or as a script:
 *   npx tsx bench/bp-emulated-vs-solved.ts [--emulator DIR] [--dx 100] [--nbitmax 2000] [--runtime onnx|tfjs]
 * Default emulator: IGM's pinnbp_10_4_cnn_16_32_2_1 (data/igm-emulators).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ready } from '../src/core/tensor/index.js';
import { loadBPEmulator, type BPRuntime } from '../src/emulator/bp-emulator.js';
import { compareEmulatedSolved, type BPComparison } from '../src/emulator/bp-compare.js';
import { hefGeometry } from '../src/emulator/bp-hef.js';

export const PINNBP = join(import.meta.dirname, '../data/igm-emulators/pinnbp_10_4_cnn_16_32_2_1');

export async function benchEmulatedVsSolved(o: { emulator?: string; dx?: number; nbitmax?: number; runtime?: BPRuntime; threads?: number } = {}): Promise<BPComparison & { ny: number; nx: number; speedup: number }> {
  await ready('cpu');
  const g = await hefGeometry({ dx: o.dx ?? 100, years: 200, arrhenius: 78, slidingco: 0.0464 });
  const emu = await loadBPEmulator(o.emulator ?? PINNBP, { runtime: o.runtime ?? 'onnx', threads: o.threads });
  try {
    const r = await compareEmulatedSolved(emu, g, o.nbitmax ?? 2000);
    return { ...r, ny: g.ny, nx: g.nx, speedup: r.solveMs / r.emulatorMs };
  } finally {
    await emu.dispose();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({ options: { emulator: { type: 'string' }, dx: { type: 'string' }, nbitmax: { type: 'string' }, runtime: { type: 'string' } } });
  const r = await benchEmulatedVsSolved({ emulator: values.emulator, dx: values.dx ? Number(values.dx) : undefined, nbitmax: values.nbitmax ? Number(values.nbitmax) : undefined, runtime: values.runtime as BPRuntime | undefined });
  console.log(JSON.stringify(r, null, 2));
}
