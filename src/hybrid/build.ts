/** Build the model a config describes (NN kind × process model). */
import { NunatakError } from '../core/errors.js';
import { HbvModel } from './hbv/model.js';
import type { HydroModel } from './hydro-model.js';
import { LstmOnlyModel } from './lstm-only.js';
import { outputSizes, type MapperSpec } from './mapper.js';
import { DifferentiableModel } from './model.js';
import { LstmParameteriser } from './nn/lstm.js';
import { LstmMlpParameteriser } from './nn/lstm-mlp.js';
import { MlpParameteriser } from './nn/mlp.js';
import type { Parameteriser } from './nn/types.js';
import type { ProcessModel } from './process.js';
import { isCodeRef, type HybridConfig } from './train/config.js';
import type { HbvVariant } from './hbv/params.js';
import type { UserComponents } from './user-components.js';

/** The process model of a config: the user's (already loaded) or HBV. */
export function processModelOf(cfg: HybridConfig, user: UserComponents = {}): ProcessModel {
  const phy = cfg.model.phy;
  if (!isCodeRef(phy.model)) return new HbvModel(phy.model as HbvVariant, phy.dynamic_params);
  if (!user.phy) throw new NunatakError('CONFIG', `model.phy.model ${phy.model} is a file: load it first (await loadUserComponents(cfg)) and pass the result`);
  return user.phy;
}

/**
 * @param nf number of forcing inputs, @param na number of attribute inputs
 * (for nn model 'calibration': the number of basins, fed as one-hot ids).
 * @param user the user's files the config names (loadUserComponents)
 */
export function buildModel(cfg: HybridConfig, nf: number, na: number, user: UserComponents = {}): HydroModel {
  const m = cfg.model;
  const seed = cfg.seed;
  if (m.phy.model === 'none') {
    if (isCodeRef(m.nn.model)) throw new NunatakError('CONFIG', `model.nn.model ${m.nn.model} needs a process model; model.phy.model none is the LSTM-only baseline`);
    if (m.nn.model !== 'lstm') throw new NunatakError('CONFIG', `model.phy.model none (LSTM-only baseline) needs model.nn.model lstm, not ${m.nn.model}`);
    return new LstmOnlyModel(new LstmParameteriser({ nx: nf + na, hidden: m.nn.hidden, ny: 1, dropout: m.nn.dropout, seed }), m.warm_up);
  }
  if (m.nn.model === 'none') throw new NunatakError('CONFIG', 'model.nn.model none (fixed parameters) has no network to build', { hint: 'fixed parameters run with nunatak hybrid simulate / test' });
  const phy = processModelOf(cfg, user);
  const spec = { names: phy.paramNames, bounds: phy.bounds, dynIndex: phy.dynamic.map((d) => phy.paramNames.indexOf(d)), nm: m.phy.nmul, routing: m.phy.routing };
  let nn: Parameteriser;
  if (isCodeRef(m.nn.model)) {
    if (!user.nn) throw new NunatakError('CONFIG', `model.nn.model ${m.nn.model} is a file: load it first (await loadUserComponents(cfg)) and pass the result`);
    const ny = { seq: outputSizes(spec, 'seq').seq, stat: outputSizes(spec, 'stat').stat, both: outputSizes(spec, 'both') };
    nn = user.nn({ nx: nf + na, nf, na, ny, hidden: m.nn.hidden, dropout: m.nn.dropout, seed, options: m.nn.options ?? {} });
  } else nn = builtinNn(cfg, spec, nf, na);
  return new DifferentiableModel(nn, phy, { nmul: m.phy.nmul, warmUp: m.warm_up, warmUpStates: m.warm_up_states, routing: m.phy.routing });
}

function builtinNn(cfg: HybridConfig, spec: MapperSpec, nf: number, na: number): Parameteriser {
  const m = cfg.model;
  const seed = cfg.seed;
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
    default:
      throw new NunatakError('CONFIG', `model.nn.model '${m.nn.model}' is not a built-in NN`);
  }
  return nn;
}
