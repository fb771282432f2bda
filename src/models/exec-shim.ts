/**
 * TEMPORARY inline executor until src/exec (createExecutor) lands on main:
 * runs tasks one after another in this thread, cloning inputs and results the
 * way a real executor serialises them. Delete when src/exec/index.ts exists.
 */
import { NunatakError } from '../core/errors.js';
import { resolveEntrypoint } from '../core/plugins/index.js';
import type { Executor, ScatterHandle, TaskFunction, TaskResult, TaskSpec, RunOptions } from '../exec/contract.js';

export function inlineExecutorShim(): Executor {
  return {
    kind: 'inline',
    workers: 1,
    async scatter<P>(_params: P): Promise<ScatterHandle> {
      return { key: 'none' };
    },
    async *runTasks<I, R>(tasks: Iterable<TaskSpec<I>>, _h?: ScatterHandle, opts: RunOptions = {}): AsyncIterable<TaskResult<I, R>> {
      const ac = new AbortController();
      for (const task of tasks) {
        const { value: fn } = await resolveEntrypoint<TaskFunction<I, R>>(task.entry, { expect: { type: 'function' } });
        let result: R;
        try {
          result = await fn(structuredClone(task.input), { params: undefined, progress: (m) => opts.onProgress?.(task.id, m), signal: opts.signal ?? ac.signal });
        } catch (e) {
          throw new NunatakError('EXEC', `task ${task.id} failed: ${(e as Error).message}`, { cause: e });
        }
        yield { task, result: structuredClone(result) };
      }
    },
    async close(): Promise<void> {},
  };
}
