/**
 * Finding an experiment: a YAML file, or a folder holding `experiment.yaml`,
 * `params.yaml` or (IGM layout) `experiment/params.yaml`. The experiment's
 * root (where `user/` and relative data paths live) is the file's folder, or
 * its parent when the file sits in an `experiment/` folder — unless the file
 * sets `sim.root` (the `config.yaml` a run saves does), which then wins. A run
 * folder holding `config.yaml` is located like an experiment folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { NunatakError } from '../core/errors.js';
import { ConfigCatalog } from '../core/config/index.js';
import { register } from './catalog.js';

export interface ExperimentLocation {
  /** The YAML file. */
  file: string;
  /** Root folder: `user/` is looked for here; relative input paths start here. */
  root: string;
}

const NAMES = ['experiment.yaml', 'params.yaml', join('experiment', 'params.yaml'), join('experiment', 'experiment.yaml'), 'config.yaml'];

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
  const saved = savedRoot(file);
  const root = saved ?? (basename(dir) === 'experiment' ? dirname(dir) : dir);
  return { file, root };
}

/** `sim.root` of an experiment file, when it sets one (relative to the file's folder). */
function savedRoot(file: string): string | undefined {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // the config resolver reports YAML errors with their place
  }
  const root = (doc as { sim?: { root?: unknown } } | null)?.sim?.root;
  if (typeof root !== 'string' || root === '') return undefined;
  const r = isAbsolute(root) ? root : resolve(dirname(file), root);
  if (!existsSync(r)) throw new NunatakError('NOT_FOUND', `${file}: sim.root ${r} does not exist`, { hint: 'the experiment folder this config was saved from has moved; set sim.root to where it is now' });
  return r;
}

/** The sim catalogue: built-ins, then the experiment's user folder (user modules win). */
export function simCatalog(root?: string): ConfigCatalog {
  const c = new ConfigCatalog();
  register(c);
  if (root && existsSync(join(root, 'user'))) c.addUserFolder(root);
  return c;
}
