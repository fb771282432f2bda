/**
 * The before-first-step check: every field a module reads must be written by
 * an input or by a module that runs before it (processes in list order;
 * outputs see everything inputs and processes write).
 */
import { NunatakError } from '../core/errors.js';
import { fieldsOf, type SimConfig } from './contract.js';
import type { LoadedModule } from './loader.js';

export function checkDependencies(mods: LoadedModule[], cfg: SimConfig): void {
  const producer = new Map<string, string>();
  const declared = mods.map((m) => ({ m, f: fieldsOf(m.module, cfg) }));
  for (const { m, f } of declared) {
    for (const r of f.reads) {
      if (producer.has(r)) continue;
      const later = declared.find((d) => d.m !== m && d.f.writes.includes(r) && mods.indexOf(d.m) > mods.indexOf(m));
      const hint = later
        ? `${later.m.kind} module '${later.m.name}' writes '${r}' but runs after '${m.name}': list it earlier`
        : `no selected module writes '${r}'; add one that does (an input such as local or synthetic, or a process) — writers so far: ${[...producer.entries()].map(([k, v]) => `${k}←${v}`).join(', ') || '(none)'}`;
      throw new NunatakError('CONFIG', `${m.kind} module '${m.name}' reads field '${r}' but no earlier module produces it`, { hint });
    }
    for (const w of f.writes) if (!producer.has(w)) producer.set(w, m.name);
  }
}
