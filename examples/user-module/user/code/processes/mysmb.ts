/**
 * IGM's user-module example in TypeScript: a surface mass balance with a
 * sinusoidal ELA,
 *   ELA(t) = meanela + amplitude · sin(2π t / period)
 *   smb    = (usurf − ELA) · (gradabl if below the ELA else gradacc), clipped to [−100, accmax]
 * in m ice eq. a⁻¹. Its parameters come from user/conf/processes/mysmb.yaml.
 * Written with TensorFlow.js ops on the fields' tensor views, as IGM's
 * TensorFlow version; `state.get('usurf').data` would give the Float32Array.
 */
import { ready, tf } from 'nunatak/core/tensor/index.ts';
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

export async function initialize(_cfg: SimConfig, state: SimState): Promise<void> {
  await ready(); // the TF.js backend (wasm by default; NUNATAK_BACKEND picks another)
  state.ensure('smb'); // m a-1
}

export function update(cfg: SimConfig, state: SimState): void {
  const p = (cfg.processes as Record<string, unknown>).mysmb as MySmb;
  const ela = p.meanela + p.amplitude * Math.sin((2 * Math.PI * state.t) / p.period);
  const smb = tf.tidy(() => {
    const d = tf.sub(state.get('usurf').tensor, ela);
    const rate = tf.where(tf.less(d, 0), tf.scalar(p.gradabl), tf.scalar(p.gradacc));
    return tf.clipByValue(tf.mul(d, rate), -100, p.accmax);
  });
  state.get('smb').setTensor(smb); // the field takes the tensor over
}

export function finalize(): void {}
