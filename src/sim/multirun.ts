/**
 * Multirun members run through the executor seam (`inline`, `threads` — the
 * default — or `distributed`); each task runs `runMember` (this file's
 * sibling run.ts) and writes into its own numbered folder.
 */
import { createExecutor, type ExecutorKind } from '../exec/index.js';
import type { RunSummary } from './engine.js';
import type { MemberTask } from './run.js';
import { siblingFile } from '../core/plugins/index.js';

export interface MemberResult {
  index: number;
  label: string;
  summary: RunSummary;
}

export interface MultirunOptions {
  /** Executor kind (default threads). */
  executor?: ExecutorKind;
  workers?: number;
  redis?: string;
}

const RUN_ENTRY = siblingFile(import.meta.url, 'run') + '#runMember';

export async function* runMultirun(members: Array<MemberTask & { label: string }>, opts: MultirunOptions = {}): AsyncGenerator<MemberResult> {
  const ex = await createExecutor({ kind: opts.executor ?? 'threads', workers: opts.workers ?? 2, redis: opts.redis });
  try {
    const tasks = members.map((m, k) => ({ id: String(k), entry: RUN_ENTRY, input: { experiment: m.experiment, overrides: m.overrides, outDir: m.outDir } }));
    for await (const r of ex.runTasks<MemberTask, RunSummary>(tasks)) {
      const k = Number(r.task.id);
      yield { index: k, label: members[k].label, summary: r.result };
    }
  } finally {
    await ex.close();
  }
}
