/**
 * The `inline` executor: tasks run one after another on the calling thread,
 * but params, inputs, results and progress messages all go through the same
 * V8 serialisation the threads and distributed executors use.
 */
import type { Executor, RunOptions, ScatterHandle, TaskResult, TaskSpec } from './contract.js';
import { NunatakError } from '../core/errors.js';
import { runEncodedTask } from './run-task.js';
import { cancelled, decode, encode, errorToWire, taskFailed } from './wire.js';

export class InlineExecutor implements Executor {
  readonly kind = 'inline';
  readonly workers = 1;
  private readonly params = new Map<string, unknown>();
  private seq = 0;
  private closed = false;

  async scatter<P>(params: P): Promise<ScatterHandle> {
    this.checkOpen();
    const key = `inline-${++this.seq}`;
    // Decoded once: every task of every run sees the same copy, as on a worker.
    this.params.set(key, decode(encode(params, 'scattered params')));
    return { key };
  }

  async *runTasks<I, R>(
    tasks: Iterable<TaskSpec<I>>,
    handle?: ScatterHandle,
    opts: RunOptions = {},
  ): AsyncIterable<TaskResult<I, R>> {
    this.checkOpen();
    const params = handle ? this.lookup(handle) : undefined;
    const signal = opts.signal ?? new AbortController().signal;
    for (const task of tasks) {
      if (signal.aborted) throw cancelled(this.kind);
      const ctx = {
        params,
        signal,
        progress: (msg: unknown) => opts.onProgress?.(task.id, decode(encode(msg, 'progress message'))),
      };
      let out: Uint8Array;
      try {
        out = await runEncodedTask(task.entry, encode(task.input, `input of task '${task.id}'`), ctx);
      } catch (e) {
        if (signal.aborted) throw cancelled(this.kind);
        throw taskFailed(task.id, task.entry, errorToWire(e));
      }
      if (signal.aborted) throw cancelled(this.kind);
      yield { task, result: decode<R>(out) };
    }
  }

  async drop(handle: ScatterHandle): Promise<void> {
    this.params.delete(handle.key);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.params.clear();
  }

  private lookup(handle: ScatterHandle): unknown {
    if (!this.params.has(handle.key)) {
      throw new NunatakError('EXEC', `unknown scatter handle '${handle.key}' for the inline executor`, {
        hint: 'pass the handle returned by scatter() on the same executor',
      });
    }
    return this.params.get(handle.key);
  }

  private checkOpen(): void {
    if (this.closed) throw new NunatakError('EXEC', 'inline executor is closed');
  }
}
