/**
 * Finding an experiment: a YAML file, or a folder holding `experiment.yaml`,
 * `params.yaml` or (IGM layout) `experiment/params.yaml`. The experiment's
 * root (where `user/` and relative data paths live) is the file's folder, or
 * its parent when the file sits in an `experiment/` folder.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NunatakError } from '../core/errors.js';
import { ConfigCatalog } from '../core/config/index.js';
import { register } from './catalog.js';

export interface ExperimentLocation {
  /** The YAML file. */
  file: string;
  /** Root folder: `user/` is looked for here; relative input paths start here. */
  root: string;
}

const NAMES = ['experiment.yaml', 'params.yaml', join('experiment', 'params.yaml'), join('experiment', 'experiment.yaml')];

export function locateExperiment(path: string): ExperimentLocation {
  const p = resolve(path);
  if (!existsSync(p)) throw new NunatakError('NOT_FOUND', `experiment ${p} does not exist`, { hint: 'give an experiment YAML file or a folder holding experiment.yaml' });
  let file = p;
  if (statSync(p).isDirectory()) {
    const hit = NAMES.map((n) => join(p, n)).find((f) => existsSync(f));
    if (!hit) throw new NunatakError('NOT_FOUND', `folder ${p} holds no experiment file`, { hint: `expected one of: ${NAMES.join(', ')}` });
    file = hit;
  }
  const dir = dirname(file);
  const root = basename(dir) === 'experiment' ? dirname(dir) : dir;
  return { file, root };
}

/** The sim catalogue: built-ins, then the experiment's user folder (user modules win). */
export function simCatalog(root?: string): ConfigCatalog {
  const c = new ConfigCatalog();
  register(c);
  if (root && existsSync(join(root, 'user'))) c.addUserFolder(root);
  return c;
}
