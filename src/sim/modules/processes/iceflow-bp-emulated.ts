/**
 * iceflow method `emulated` with a Blatter–Pattyn emulator folder (IGM 2.x
 * `pinnbp_*` or `nunatak emulator pretrain`): the CNN predicts U, V on the Nz
 * levels from raw thk, usurf, arrhenius, slidingco, dX; IGM's 2-D outputs
 * follow from bpDerived. As IGM's `update_iceflow_emulator`, the network is
 * retrained on the current geometry by minimising the BP energy every
 * `retrain_freq` steps (step 0 included) for `retrain_epochs` Adam steps at
 * `retrain_lr` (no clipnorm, Adam moments kept between retrains); after a
 * retrain the ONNX model is re-exported (inference stays in ONNX Runtime,
 * which is several times faster than TF.js for this CNN).
 */
import { resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import { isBPEmulatorFolder, checkBPEmulatorMeta } from '../../../emulator/bp-folder.js';
import { loadBPEmulator, type BPEmulator } from '../../../emulator/bp-emulator.js';
import { BPTrainer } from '../../../emulator/bp-train.js';
import { bpDerived, bpProblem } from '../../physics/bp/index.js';
import type { SimState } from '../../state.js';
import { initializeSolved, SOLVED_OUT, solvedSettings, stateGeometry, type SolvedParams } from './iceflow-solved.js';

export interface BPEmulatedParams extends SolvedParams {
  emulator: string | null;
  emulator_runtime: 'auto' | 'onnx' | 'tfjs';
  retrain_freq: number;
  retrain_epochs: number;
  retrain_lr: number;
}

interface BPEmulatedState {
  emu: BPEmulator;
  trainer: BPTrainer | null;
  it: number;
}

/** True when processes.iceflow.emulator names a BP emulator folder (U, V outputs). */
export function usesBPEmulator(p: { emulator: string | null }, baseDir: string): boolean {
  return !!p.emulator && isBPEmulatorFolder(resolve(baseDir, p.emulator));
}

export async function initializeBPEmulated(p: BPEmulatedParams, state: SimState): Promise<void> {
  const settings = solvedSettings(p);
  for (const k of ['retrain_freq', 'retrain_epochs'] as const) {
    if (!(Number.isInteger(p[k]) && p[k] >= 0)) throw new NunatakError('CONFIG', `processes.iceflow.${k} must be an integer ≥ 0, got ${p[k]}`);
  }
  if (!(p.retrain_lr > 0)) throw new NunatakError('CONFIG', `processes.iceflow.retrain_lr must be > 0, got ${p.retrain_lr}`);
  const dir = resolve(state.baseDir, p.emulator as string);
  const emu = await loadBPEmulator(dir, { runtime: p.emulator_runtime === 'tfjs' ? 'tfjs' : 'onnx' });
  checkBPEmulatorMeta(emu.meta, settings, 'processes.iceflow', dir);
  initializeSolved(p, state);
  const trainer = p.retrain_freq > 0 && p.retrain_epochs > 0 ? new BPTrainer(emu.model, { learningRate: p.retrain_lr, clipnorm: 0, decay: false, seed: 1 }) : null;
  state.extra.iceflow_bp_emulated = { emu, trainer, it: 0 } satisfies BPEmulatedState;
}

/** The run's BP emulator (after initializeBPEmulated). */
export function bpEmulatorOf(state: SimState): BPEmulator {
  return (state.extra.iceflow_bp_emulated as BPEmulatedState).emu;
}

export function isBPEmulatedRun(state: SimState): boolean {
  return state.extra.iceflow_bp_emulated !== undefined;
}

export async function updateBPEmulated(p: BPEmulatedParams, state: SimState): Promise<void> {
  const es = state.extra.iceflow_bp_emulated as BPEmulatedState;
  const settings = solvedSettings(p);
  const geom = stateGeometry(p, state);
  if (es.trainer && es.it % p.retrain_freq === 0) {
    const problem = bpProblem(geom, settings);
    try {
      es.trainer.train([{ geom, problem }], p.retrain_epochs);
    } finally {
      problem.dispose();
    }
    await es.emu.refresh();
  }
  es.it++;
  const { U, V } = await es.emu.predict(geom);
  state.get('U').data.set(U);
  state.get('V').data.set(V);
  const d = bpDerived(U, V, geom, settings);
  for (const n of SOLVED_OUT) state.get(n).data.set(d[n]);
}
