/**
 * Multirun members run through the executor seam; each writes into its own
 * numbered folder. Until the threads executor is on main, members run one
 * after another in this process.
 */
import type { RunSummary } from './engine.js';
import { runMember, type MemberTask } from './run.js';

export interface MemberResult {
  index: number;
  label: string;
  summary: RunSummary;
}

export async function* runMultirun(members: Array<MemberTask & { label: string }>, _workers = 2): AsyncGenerator<MemberResult> {
  for (let k = 0; k < members.length; k++) {
    const m = members[k];
    yield { index: k, label: m.label, summary: await runMember({ experiment: m.experiment, overrides: m.overrides, outDir: m.outDir }) };
  }
}
