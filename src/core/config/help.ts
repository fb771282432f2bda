/** Text help for a module's parameters: key, type, units, default, help line. */
import type { ModuleDefaults } from './module-defaults.js';
import { describeType, type SchemaGroup } from './types.js';

interface Row {
  key: string;
  type: string;
  units: string;
  def: string;
  help: string;
}

function rows(group: SchemaGroup, prefix: string, out: Row[]): Row[] {
  for (const [k, node] of group.children) {
    const key = prefix + k;
    if (node.kind === 'group') rows(node, key + '.', out);
    else out.push({ key, type: describeType(node), units: node.units || '-', def: JSON.stringify(node.default), help: node.help });
  }
  return out;
}

/** A table of every parameter under `title` (e.g. `processes/iceflow`). */
export function formatModuleHelp(title: string, d: ModuleDefaults): string {
  const r = rows(d.schema, '', []);
  if (r.length === 0) return `${title}: no parameters\n`;
  const w = (f: keyof Row): number => Math.max(f.length, ...r.map((x) => x[f].length));
  const cols: Array<[keyof Row, string]> = [['key', 'key'], ['type', 'type'], ['units', 'units'], ['def', 'default']];
  const widths = cols.map(([f, h]) => Math.max(w(f), h.length));
  const line = (cells: string[]): string => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  return [
    `${title}  (${d.file})`,
    line([...cols.map(([, h]) => h), 'help']),
    ...r.map((x) => line([x.key, x.type, x.units, x.def, x.help])),
  ].join('\n') + '\n';
}
