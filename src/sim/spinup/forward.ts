/**
 * One forward run of the sim's own transient physics — `clim` → `smb_ti` →
 * `iceflow` → `time` → `thk`, the modules and parameters of the experiment —
 * on a private copy of the state, from `start` to `end` (a) with `dT` (K)
 * added to clim.temp_bias. Used by the `spinup` process to find the
 * temperature offset whose past climate grows the glacier the start of the
 * run needs; the caller's state is not touched.
 */
import { NunatakError } from '../../core/errors.js';
import type { ConfigTree } from '../../core/config/index.js';
import type { ProcessModule, SimConfig } from '../contract.js';
import { SimState } from '../state.js';
import clim from '../modules/processes/clim.js';
import smbTi from '../modules/processes/smb_ti.js';
import iceflow from '../modules/processes/iceflow.js';
import time from '../modules/processes/time.js';
import thk from '../modules/processes/thk.js';

/** Fields copied into the private state when the caller has them. */
const CARRIED = ['thk', 'topg', 'usurf', 'icemask', 'arrhenius', 'slidingco'];

export interface ForwardResult {
  thk: Float32Array;
  usurf: Float32Array;
  /** Model steps taken. */
  steps: number;
}

/** The config with the processes' groups replaced (plain copies: the caller's stay as they are). */
function withProcesses(cfg: SimConfig, changes: Record<string, Record<string, unknown>>): SimConfig {
  const procs = { ...(cfg.processes as ConfigTree) };
  for (const [name, c] of Object.entries(changes)) procs[name] = { ...(procs[name] as ConfigTree), ...c } as ConfigTree;
  return { ...cfg, processes: procs };
}

/**
 * Runs [start, end) on a copy of `state` (thk, topg, usurf, icemask, …) with clim.temp_bias + dT;
 * `from` replaces the copied thk and usurf (a second segment continuing a first).
 */
export async function forwardRun(cfg: SimConfig, state: SimState, start: number, end: number, dT: number, from?: ForwardResult): Promise<ForwardResult> {
  for (const need of ['clim', 'smb_ti', 'iceflow', 'thk']) {
    if (!(cfg.processes as ConfigTree | undefined)?.[need]) {
      throw new NunatakError('CONFIG', `processes.spinup runs the experiment's ${need} module, which is not selected`, { hint: 'override /processes: [clim, optimize, spinup, smb_ti, iceflow, time, thk]' });
    }
  }
  const bias = (cfg.processes as { clim: { temp_bias: number } }).clim.temp_bias;
  const sub = withProcesses(cfg, {
    time: { start, end, save: end - start },
    clim: { temp_bias: bias + dT },
    smb_ti: { ref_years: null }, // the reference SMB is the caller's, not recomputed per run
  });
  const s = new SimState(state.grid, { outDir: state.outDir, baseDir: state.baseDir });
  for (const n of CARRIED) if (state.has(n)) s.set(state.get(n).clone(n));
  if (from) {
    s.get('thk').data.set(from.thk);
    s.get('usurf').data.set(from.usurf);
  }
  const mods: ProcessModule[] = [clim, smbTi, iceflow, time, thk];
  for (const m of mods) await m.initialize(sub, s);
  s.it = 0;
  s.continueRun = true;
  while (s.continueRun) {
    for (const m of mods) await m.update(sub, s);
    s.it++;
  }
  return { thk: s.get('thk').data.slice(), usurf: s.get('usurf').data.slice(), steps: s.it + (from?.steps ?? 0) };
}
