/** HBV (1.0 / 1.1p / 2.0) as a ProcessModel: the fused kernel behind a TF.js custom-gradient op. */
import type { tf } from '../../core/tensor/index.js';
import { NunatakError } from '../../core/errors.js';
import type { Forcing, ProcessModel } from '../process.js';
import { hbvForward, type HbvState, type HbvOutput } from './kernel.js';
import { hbvOp } from './op.js';
import { hbvLayout, HBV_BOUNDS, type HbvFlags, type HbvVariant } from './params.js';

export class HbvModel implements ProcessModel<HbvState> {
  readonly name: string;
  readonly paramNames: string[];
  readonly bounds = HBV_BOUNDS;
  readonly flags: HbvFlags;
  readonly dynIndex: number[];
  /** The last forward output (fluxes, SWE, stores) for diagnostics. */
  last?: HbvOutput;
  constructor(readonly variant: HbvVariant, readonly dynamic: string[] = []) {
    const { names, flags } = hbvLayout(variant, dynamic);
    this.name = variant;
    this.paramNames = names;
    this.flags = flags;
    this.dynIndex = dynamic.map((d) => names.indexOf(d));
  }

  private checkArea(f: Forcing): void {
    if (this.flags.leakage && (!f.area || f.area.length !== f.nb)) {
      throw new NunatakError('INPUT', `${this.variant} needs the basin area (km²) of each of the ${f.nb} basins`, {
        hint: 'include area_gages2 in the attributes / pass area to the forcing',
      });
    }
  }

  run(f: Forcing, params: tf.Tensor3D, dyn: tf.Tensor4D | undefined, init?: HbvState, onState?: (s: HbvState) => void): tf.Tensor2D {
    this.checkArea(f);
    return hbvOp(
      {
        P: f.P, T: f.T, PET: f.PET, nt: f.nt, nb: f.nb, flags: this.flags, dynIndex: this.dynIndex, area: f.area, init,
        onForward: (o) => {
          this.last = o;
          onState?.(o.final);
        },
      },
      params,
      this.dynIndex.length ? dyn : undefined,
    );
  }

  spinUp(f: Forcing, params: Float32Array, nm: number, dyn: Float32Array | undefined): HbvState {
    this.checkArea(f);
    return hbvForward(
      { nt: f.nt, nb: f.nb, nm, np: this.paramNames.length, P: f.P, T: f.T, PET: f.PET, params, dynIndex: this.dynIndex, dyn, area: f.area },
      this.flags,
    ).final;
  }
}
