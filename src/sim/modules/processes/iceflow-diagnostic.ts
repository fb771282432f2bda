/**
 * iceflow method `diagnostic`: SIA drives the run and the emulator runs beside
 * it; at each save a row of `iceflow_diagnostic.csv` (run folder) records the
 * velocity differences over ice cells (thk > 0) and both timings.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DIAGNOSTIC_FILE = 'iceflow_diagnostic.csv';
export const DIAGNOSTIC_HEADER = 'it,t_a,ice_cells,l1_m_a,l2_m_a,max_m_a,sia_ms,emulator_ms';

/**
 * Differences of two depth-averaged velocity fields over cells with thk > 0,
 * e = |(u₁ − u₂, v₁ − v₂)| (m a⁻¹): l1 = mean e, l2 = √(mean e²), max = max e.
 */
export function velocityDifference(thk: Float32Array, u1: Float32Array, v1: Float32Array, u2: Float32Array, v2: Float32Array): { cells: number; l1: number; l2: number; max: number } {
  let cells = 0;
  let s1 = 0;
  let s2 = 0;
  let max = 0;
  for (let k = 0; k < thk.length; k++) {
    if (!(thk[k] > 0)) continue;
    const du = u1[k] - u2[k];
    const dv = v1[k] - v2[k];
    const e2 = du * du + dv * dv;
    const e = Math.sqrt(e2);
    cells++;
    s1 += e;
    s2 += e2;
    if (e > max) max = e;
  }
  return cells ? { cells, l1: s1 / cells, l2: Math.sqrt(s2 / cells), max } : { cells, l1: 0, l2: 0, max: 0 };
}

export function startDiagnostic(outDir: string): string {
  const file = join(outDir, DIAGNOSTIC_FILE);
  writeFileSync(file, DIAGNOSTIC_HEADER + '\n');
  return file;
}

export function appendDiagnostic(file: string, row: { it: number; t: number; cells: number; l1: number; l2: number; max: number; siaMs: number; emuMs: number }): void {
  const f = (x: number) => Number(x.toPrecision(6));
  appendFileSync(file, [row.it, f(row.t), row.cells, f(row.l1), f(row.l2), f(row.max), f(row.siaMs), f(row.emuMs)].join(',') + '\n');
}
