/** Build the model a config describes (NN kind × process model). */
import { NunatakError } from '../core/errors.js';
import { HbvModel } from './hbv/model.js';
import type { HydroModel } from './hydro-model.js';
import { LstmOnlyModel } from './lstm-only.js';
import { outputSizes } from './mapper.js';
import { DifferentiableModel } from './model.js';
import { LstmParameteriser } from './nn/lstm.js';
import { LstmMlpParameteriser } from './nn/lstm-mlp.js';
import { MlpParameteriser } from './nn/mlp.js';
import type { Parameteriser } from './nn/types.js';
import type { HybridConfig } from './train/config.js';

/**
 * @param nf number of forcing inputs, @param na number of attribute inputs
 * (for nn model 'calibration': the number of basins, fed as one-hot ids).
 */
export function buildModel(cfg: HybridConfig, nf: number, na: number): HydroModel {
  const m = cfg.model;
  const seed = cfg.seed;
  if (m.phy.model === 'none') {
    if (m.nn.model !== 'lstm') throw new NunatakError('CONFIG', `model.phy.model none (LSTM-only baseline) needs model.nn.model lstm, not ${m.nn.model}`);
    return new LstmOnlyModel(new LstmParameteriser({ nx: nf + na, hidden: m.nn.hidden, ny: 1, dropout: m.nn.dropout, seed }), m.warm_up);
  }
  if (m.nn.model === 'none') throw new NunatakError('CONFIG', 'model.nn.model none (fixed parameters) has no network to build', { hint: 'fixed parameters run with nunatak hybrid simulate / test' });
  const phy = new HbvModel(m.phy.model, m.phy.dynamic_params);
  const spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynIndex, nm: m.phy.nmul, routing: m.phy.routing };
  let nn: Parameteriser;
  switch (m.nn.model) {
    case 'lstm':
      nn = new LstmParameteriser({ nx: nf + na, hidden: m.nn.hidden, ny: outputSizes(spec, 'seq').seq, dropout: m.nn.dropout, seed });
      break;
    case 'mlp':
      nn = new MlpParameteriser({ na, hidden: m.nn.mlp_hidden, layers: m.nn.mlp_layers, ny: outputSizes(spec, 'stat').stat, dropout: m.nn.dropout, seed });
      break;
    case 'calibration':
      // one free logit per basin, parameter and component: a linear map of one-hot basin ids
      nn = new MlpParameteriser({ na, hidden: 1, layers: 0, ny: outputSizes(spec, 'stat').stat, seed });
      break;
    case 'lstm_mlp': {
      const sz = outputSizes(spec, 'both');
      nn = new LstmMlpParameteriser(
        { nx: nf + na, hidden: m.nn.hidden, ny: sz.seq, dropout: m.nn.dropout, seed },
        { na, hidden: m.nn.mlp_hidden, layers: m.nn.mlp_layers, ny: sz.stat, dropout: m.nn.dropout, seed: seed + 1 },
      );
      break;
    }
  }
  return new DifferentiableModel(nn, phy, { nmul: m.phy.nmul, warmUp: m.warm_up, warmUpStates: m.warm_up_states, routing: m.phy.routing });
}
