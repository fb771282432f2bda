/**
 * Resolved config as YAML. The file is itself an experiment file (defaults
 * list + every value, added keys written as `+key`), so resolving it again with
 * the same catalogue gives the same config.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isScalar, visit } from 'yaml';
import type { ResolvedConfig } from './resolve.js';
import { isTree, type ConfigTree, type ConfigValue } from './types.js';

function markAdded(tree: ConfigTree, added: string[][], path: string[]): ConfigTree {
  const out: ConfigTree = {};
  for (const [k, v] of Object.entries(tree)) {
    const p = [...path, k];
    const isAdded = added.some((a) => a.length === p.length && a.every((x, i) => x === p[i]));
    const value: ConfigValue = !isAdded && isTree(v) ? markAdded(v, added, p) : v;
    out[isAdded ? `+${k}` : k] = value;
  }
  return out;
}

/** YAML text of a resolved config. */
export function toYaml(config: ResolvedConfig): string {
  const defaults = Object.entries(config.selection).map(([kind, names]) => ({ [`override /${kind}`]: names }));
  const header = [
    '# Resolved nunatak config. Re-run it as an experiment file to reproduce this run.',
    ...(config.experimentFile ? [`# experiment: ${config.experimentFile}`] : []),
    ...(config.overrides.length > 0 ? [`# overrides: ${config.overrides.join(' ')}`] : []),
  ];
  const doc = new Document({ defaults, ...markAdded(config.values, config.added, []) });
  // short lists of scalars read best inline: [thk, usurf]
  visit(doc, { Seq: (_, node) => void (node.flow = node.items.every((i) => isScalar(i))) });
  const body = doc.toString({ flowCollectionPadding: false });
  return header.join('\n') + '\n' + body;
}

/** Writes `<dir>/<name>` (default `config.yaml`) and returns its path. */
export function saveResolved(dir: string, config: ResolvedConfig, name = 'config.yaml'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, toYaml(config));
  return file;
}
