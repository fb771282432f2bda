/**
 * Experiment files. Modules are selected with an IGM/Hydra defaults list and
 * values are overridden under their kind and module name:
 *
 *   defaults:
 *     - override /inputs: [local]
 *     - override /processes: [smb_simple, iceflow, time, thk]
 *   processes:
 *     time: {start: 1900, end: 2000}
 *
 * `override` and the leading `/` are optional; `_self_` is accepted and ignored.
 */
import { NunatakError, didYouMean } from '../errors.js';
import { YamlSource } from './yaml-source.js';
import { isTree, type ConfigTree } from './types.js';

export interface Experiment {
  src: YamlSource;
  /** kind → module names, for the kinds the file selects. */
  selection: Record<string, string[]>;
  /** kind → `file:line` of its defaults entry, for messages. */
  selectionWhere: Record<string, string>;
  /** Everything but `defaults`. */
  values: ConfigTree;
}

export function readExperiment(file: string, kinds: string[]): Experiment {
  return parseExperiment(YamlSource.read(file), kinds);
}

export function parseExperiment(src: YamlSource, kinds: string[]): Experiment {
  const data = src.data ?? {};
  if (!isTree(data)) {
    throw new NunatakError('CONFIG', `${src.where([])}: an experiment file must be a mapping`, { hint: 'start with `defaults:` and module sections' });
  }
  const selection: Record<string, string[]> = {};
  const selectionWhere: Record<string, string> = {};
  const { defaults, ...values } = data;
  if (defaults !== undefined) {
    if (!Array.isArray(defaults)) {
      throw new NunatakError('CONFIG', `${src.where(['defaults'])}: defaults must be a list`, { hint: '- override /processes: [iceflow, time, thk]' });
    }
    defaults.forEach((item, i) => {
      const at = src.where(['defaults', i]);
      if (item === '_self_') return;
      if (!isTree(item) || Object.keys(item).length !== 1) {
        throw new NunatakError('CONFIG', `${at}: defaults entry ${JSON.stringify(item)} is not '<kind>: [modules]'`, {
          hint: `write - override /${kinds[0] ?? 'processes'}: [name, …]`,
        });
      }
      const [key, names] = Object.entries(item)[0];
      const kind = key.replace(/^override\s+/, '').replace(/^\//, '').trim();
      if (!kinds.includes(kind)) {
        throw new NunatakError('CONFIG', `${at}: unknown module kind '${kind}' in defaults${didYouMean(kind, kinds)}`, {
          hint: `kinds: ${kinds.join(', ')} (user modules are found in user/conf and user/code; list only their names)`,
        });
      }
      const list = names === null ? [] : Array.isArray(names) ? names : [names];
      if (list.some((n) => typeof n !== 'string')) {
        throw new NunatakError('CONFIG', `${at}: ${kind} must list module names`, { hint: `- override /${kind}: [a, b]` });
      }
      selection[kind] = list as string[];
      selectionWhere[kind] = at;
    });
  }
  return { src, selection, selectionWhere, values: values as ConfigTree };
}
