/** Human-readable summaries of packages for `nunatak models list|show`. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gridShape, type ModelGrid } from './grid.js';
import type { ModelPackage } from './package.js';
import type { RegistryEntry } from './registry.js';

function span(a: Float64Array): string {
  return a.length === 1 ? `${a[0]}` : `${a[0]} … ${a[a.length - 1]} (step ${+(a[1] - a[0]).toPrecision(6)})`;
}

export function describeGrid(g: ModelGrid): string {
  const [ny, nx] = gridShape(g);
  return g.kind === 'latlon' ? `lat/lon ${ny}×${nx}: lat ${span(g.lat)} °N, lon ${span(g.lon)} °E` : `projected ${ny}×${nx} (${g.crs}): y ${span(g.y)}, x ${span(g.x)}`;
}

function loader(p: ModelPackage): string {
  if (p.meta.entrypoint) return `entrypoint ${p.meta.entrypoint.name}${Object.keys(p.meta.entrypoint.kwargs ?? {}).length ? ` ${JSON.stringify(p.meta.entrypoint.kwargs)}` : ''}`;
  if (p.meta.onnx) return `onnx ${p.meta.onnx}`;
  return `architecture_entrypoint ${p.meta.architecture_entrypoint}`;
}

export function describeEntry(e: RegistryEntry): string {
  if (e.error || !e.package) return `${e.name}  BROKEN: ${e.error}`;
  const p = e.package;
  return `${e.name}  ${p.kind}  ${p.inChannels.length} → ${p.outChannels.length} channels  step ${p.timeStep.iso}  ${describeGrid(p.grid).split(':')[0]}${p.meta.description ? `  — ${p.meta.description}` : ''}`;
}

export function describePackage(p: ModelPackage): string {
  const files = readdirSync(p.dir).map((f) => `    ${f} (${statSync(join(p.dir, f)).size} B)`);
  return [
    `model ${p.name}${p.meta.description ? ` — ${p.meta.description}` : ''}`,
    `  folder:       ${p.dir}`,
    `  loader:       ${loader(p)}`,
    `  in_channels:  ${p.inChannels.join(', ')}`,
    `  out_channels: ${p.outChannels.join(', ')}`,
    `  grid:         ${describeGrid(p.grid)}`,
    `  time_step:    ${p.timeStep.iso}   history: ${p.nHistoryLevels} level(s)${p.nHistoryLevels > 1 ? ` every ${p.historyTimeStep.iso}` : ''}`,
    ...(p.onnxMapping ? [...p.onnxMapping.inputs, ...p.onnxMapping.outputs].map((m) => `  ${m.key}: [${m.layout.join(', ')}] ${m.channels.length} channels (${m.channels.length > 6 ? `${m.channels.slice(0, 3).join(', ')} … ${m.channels.at(-1)}` : m.channels.join(', ')})`) : []),
    `  normalisation: ${p.center ? p.inChannels.map((c, i) => `${c} (${p.center![i]} ± ${p.scale![i]})`).join(', ') : 'none'}`,
    `  files:`,
    ...files,
  ].join('\n');
}
