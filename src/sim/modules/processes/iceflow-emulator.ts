/**
 * iceflow's emulator side: loads an emulator folder (relative to the
 * experiment), builds its inputs from the state with the fieldin.dat scaling
 * (slopsurfx/slopsurfy from usurf with the emulator's own np.gradient slopes),
 * runs it (ONNX Runtime, TF.js fallback; U-Net grids zero-padded by
 * `Emulator.predict`) and returns the velocities in m a⁻¹, zero off the ice.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NunatakError } from '../../../core/errors.js';
import type { Emulator } from '../../../emulator/emulator.js';
import { gradient2d } from '../../../emulator/slopes.js';
import { loadEmulator, type EmulatorRuntime } from '../../../emulator/store.js';
import { speed } from '../../physics/face-velocity.js';
import type { SimState } from '../../state.js';

export interface EmulatorParams {
  emulator: string | null;
  emulator_runtime: EmulatorRuntime;
  init_arrhenius: number;
  init_slidingco: number;
}

/** Velocities written by the emulator (m a⁻¹); surface ones only when it predicts them. */
export interface EmulatedVelocities {
  ubar: Float32Array;
  vbar: Float32Array;
  velbar_mag: Float32Array;
  uvelsurf?: Float32Array;
  vvelsurf?: Float32Array;
  velsurf_mag?: Float32Array;
}

/** Loads `processes.iceflow.emulator`; checks it predicts ubar and vbar. */
export async function loadSimEmulator(p: EmulatorParams, baseDir: string): Promise<Emulator & { runtime: 'onnx' | 'tfjs' }> {
  if (!p.emulator) {
    throw new NunatakError('CONFIG', 'processes.iceflow.emulator is not set: method emulated/diagnostic needs an emulator folder', {
      hint: 'set processes.iceflow.emulator to a folder made by `nunatak emulator train` (relative to the experiment)',
    });
  }
  const dir = resolve(baseDir, p.emulator);
  if (!existsSync(dir)) {
    throw new NunatakError('NOT_FOUND', `processes.iceflow.emulator: folder ${dir} does not exist`, { hint: 'the path is relative to the experiment folder' });
  }
  const emu = await loadEmulator(dir, { runtime: p.emulator_runtime });
  const outs = emu.meta.outputs.map((c) => c.name);
  if (!outs.includes('ubar') || !outs.includes('vbar')) {
    throw new NunatakError('CONFIG', `processes.iceflow.emulator: ${dir}/fieldout.dat lists ${outs.join(', ')}; the sim needs ubar and vbar`);
  }
  return emu;
}

/** The emulator's input fields from the state (ny·nx each, physical units). */
export function emulatorInputs(emu: Emulator, state: SimState, p: EmulatorParams): Record<string, Float32Array> {
  const g = state.grid;
  const n = g.nx * g.ny;
  const names = emu.meta.inputs.map((c) => c.name);
  const out: Record<string, Float32Array> = {};
  if (names.includes('slopsurfx') || names.includes('slopsurfy')) {
    const { gx, gy } = gradient2d(state.get('usurf').data, g.ny, g.nx, g.dx, g.dy);
    out.slopsurfx = gx;
    out.slopsurfy = gy;
  }
  // Rate factor and sliding default to iceflow's own constants, as for SIA.
  const constants: Record<string, number> = { arrhenius: p.init_arrhenius, slidingco: p.init_slidingco };
  for (const name of names) {
    if (out[name]) continue;
    const f = state.fields[name];
    if (f) out[name] = f.data;
    else if (name in constants) out[name] = new Float32Array(n).fill(constants[name]);
    else {
      throw new NunatakError('NOT_FOUND', `processes.iceflow.emulator needs input '${name}' (fieldin.dat) but the state has no such field`, {
        hint: `state fields: ${Object.keys(state.fields).join(', ')}`,
      });
    }
  }
  return out;
}

/** One emulator pass: velocities at cell centres (m a⁻¹), zero where thk = 0. */
export async function emulateVelocities(emu: Emulator, state: SimState, p: EmulatorParams): Promise<EmulatedVelocities> {
  const g = state.grid;
  const thk = state.get('thk').data;
  // Masked here, not by predict: the emulator may not take thk as an input.
  const y = await emu.predict(emulatorInputs(emu, state, p), g.ny, g.nx);
  for (const [name, f] of Object.entries(y)) {
    for (let k = 0; k < f.length; k++) {
      if (!(thk[k] > 0)) f[k] = 0;
      if (!Number.isFinite(f[k])) throw new NunatakError('NUMERIC', `the emulator returned ${f[k]} for ${name} at row ${Math.floor(k / g.nx)}, col ${k % g.nx} (it ${state.it}, t ${state.t} a)`);
    }
  }
  const v: EmulatedVelocities = { ubar: y.ubar, vbar: y.vbar, velbar_mag: new Float32Array(g.nx * g.ny) };
  speed(v.ubar, v.vbar, v.velbar_mag);
  if (y.uvelsurf && y.vvelsurf) {
    v.uvelsurf = y.uvelsurf;
    v.vvelsurf = y.vvelsurf;
    v.velsurf_mag = new Float32Array(g.nx * g.ny);
    speed(v.uvelsurf, v.vvelsurf, v.velsurf_mag);
  }
  return v;
}
