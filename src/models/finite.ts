/** Stop a rollout at the first NaN/Inf, naming the step, time and channel. */
import { NunatakError } from '../core/errors.js';

/** `y` is [B, C, Y, X]; throws NUMERIC at the first non-finite value. */
export function assertFinite(y: Float32Array, channels: readonly string[], npix: number, step: number, time: Date, model: string): void {
  const nc = channels.length;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      const b = Math.floor(i / (nc * npix));
      const c = Math.floor(i / npix) % nc;
      const p = i % npix;
      throw new NunatakError('NUMERIC', `model ${model}: step ${step} (${time.toISOString()}) produced ${y[i]} in channel '${channels[c]}' (batch ${b}, pixel ${p})`, {
        hint: 'the rollout was stopped here; outputs written before this step are kept',
      });
    }
  }
}
