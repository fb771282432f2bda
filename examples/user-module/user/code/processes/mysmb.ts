/**
 * IGM's user-module example in TypeScript: a surface mass balance with a
 * sinusoidal ELA,
 *   ELA(t) = meanela + amplitude · sin(2π t / period)
 *   smb    = (usurf − ELA) · (gradabl if below the ELA else gradacc), clipped to [−100, accmax]
 * in m ice eq. a⁻¹. Its parameters come from user/conf/processes/mysmb.yaml.
 */
import type { SimConfig } from 'nunatak/sim/contract.ts';
import type { SimState } from 'nunatak/sim/state.ts';

interface MySmb {
  meanela: number;
  amplitude: number;
  period: number;
  gradabl: number;
  gradacc: number;
  accmax: number;
}

/** The engine checks that an earlier module writes usurf, and that smb has a producer. */
export const fields = { reads: ['usurf'], writes: ['smb'] };

export function initialize(_cfg: SimConfig, state: SimState): void {
  state.ensure('smb'); // m a-1, zero until the first update
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = (cfg.processes as Record<string, unknown>).mysmb as MySmb;
  const ela = p.meanela + p.amplitude * Math.sin((2 * Math.PI * state.t) / p.period);
  const usurf = state.get('usurf').data;
  const smb = state.get('smb').data;
  for (let k = 0; k < smb.length; k++) {
    const d = usurf[k] - ela;
    smb[k] = Math.min(p.accmax, Math.max(-100, d * (d < 0 ? p.gradabl : p.gradacc)));
  }
}

export function finalize(): void {}
