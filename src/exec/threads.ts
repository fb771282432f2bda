/**
 * The `threads` executor: a pool of worker_threads. Task inputs and results
 * travel as V8-serialised bytes whose buffers are transferred (not copied
 * again); scattered params are posted once per worker with their large typed
 * arrays in SharedArrayBuffers, so all workers read the same memory.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Executor, RunOptions, ScatterHandle, TaskResult, TaskSpec } from './contract.js';
import { NunatakError } from '../core/errors.js';
import { shareLargeArrays } from './share.js';
import { cancelled, decode, encode, taskFailed, type WireError } from './wire.js';
import { siblingFile } from '../core/plugins/index.js';
import { pathToFileURL } from 'node:url';

// Workers start from this tiny script: register tsx, then load the worker body.
const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((m) => { m.register(); return import(workerData.body); });
`;

type Msg = { type: string; seq?: number; payload?: Uint8Array; error?: WireError };

interface Job {
  seq: number;
  onMessage(m: Msg): void;
  onDeath(err: Error): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  dead: boolean;
}

export interface ThreadsOptions {
  /** Number of worker threads (default: available parallelism). */
  workers?: number;
  /** Typed arrays in scattered params at least this big (bytes) go to shared memory. */
  shareMinBytes?: number;
}

export class ThreadsExecutor implements Executor {
  readonly kind = 'threads';
  readonly workers: number;
  private readonly shareMinBytes?: number;
  private readonly slots: Slot[] = [];
  private readonly params = new Map<string, unknown>();
  private readonly freeWaiters = new Set<() => void>();
  private seq = 0;
  private closed = false;

  constructor(opts: ThreadsOptions = {}) {
    const n = opts.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) {
      throw new NunatakError('CONFIG', `threads executor: workers must be a positive integer, got ${n}`);
    }
    this.workers = n;
    this.shareMinBytes = opts.shareMinBytes;
  }

  async scatter<P>(params: P): Promise<ScatterHandle> {
    this.checkOpen();
    const key = `threads-${++this.seq}`;
    const value = shareLargeArrays(params, this.shareMinBytes);
    // Start the pool now so a value structured clone cannot carry fails here, in the caller.
    while (this.liveSlots() < this.workers) this.spawn();
    try {
      for (const s of this.slots) if (!s.dead) s.worker.postMessage({ type: 'params', key, value });
    } catch (e) {
      throw new NunatakError('EXEC', `scattered params cannot be sent to worker threads: ${(e as Error).message}`, {
        hint: 'params must be structured-clone data (no functions or class instances)',
        cause: e,
      });
    }
    this.params.set(key, value);
    return { key };
  }

  /** Forget scattered params on every worker. */
  async drop(handle: ScatterHandle): Promise<void> {
    this.params.delete(handle.key);
    for (const s of this.slots) if (!s.dead) s.worker.postMessage({ type: 'drop', key: handle.key });
  }

  async *runTasks<I, R>(
    tasks: Iterable<TaskSpec<I>>,
    handle?: ScatterHandle,
    opts: RunOptions = {},
  ): AsyncIterable<TaskResult<I, R>> {
    this.checkOpen();
    if (handle && !this.params.has(handle.key)) {
      throw new NunatakError('EXEC', `unknown scatter handle '${handle.key}' for the threads executor`, {
        hint: 'pass the handle returned by scatter() on the same executor',
      });
    }
    const it = tasks[Symbol.iterator]();
    let exhausted = false;
    let failure: Error | undefined;
    let stopped = false;
    const done: Array<TaskResult<I, R>> = [];
    const inflight = new Map<number, { slot: Slot; task: TaskSpec<I> }>();
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const fail = (e: Error) => {
      failure ??= e;
      notify();
    };

    const release = (slot: Slot, seq: number) => {
      inflight.delete(seq);
      if (slot.job?.seq === seq) slot.job = undefined;
      if (!slot.job && !slot.dead) slot.worker.unref();
      for (const w of [...this.freeWaiters]) w();
    };

    const dispatch = () => {
      while (!exhausted && !failure && !stopped) {
        const slot = this.idleSlot();
        if (!slot) return;
        const next = it.next();
        if (next.done) {
          exhausted = true;
          notify();
          return;
        }
        const task = next.value;
        const seq = ++this.seq;
        let input: Uint8Array;
        try {
          input = encode(task.input, `input of task '${task.id}'`);
        } catch (e) {
          fail(e as Error);
          return;
        }
        inflight.set(seq, { slot, task });
        slot.job = {
          seq,
          onMessage: (m) => {
            if (m.type === 'progress') {
              if (!stopped && opts.onProgress) opts.onProgress(task.id, decode(m.payload!));
              return;
            }
            release(slot, seq);
            if (stopped) return;
            if (m.type === 'result') {
              done.push({ task, result: decode<R>(m.payload!) });
              notify();
            } else if (m.type === 'error') fail(taskFailed(task.id, task.entry, m.error!));
            dispatch();
          },
          onDeath: (err) => {
            release(slot, seq);
            if (!stopped) fail(new NunatakError('EXEC', `worker thread running task '${task.id}' (${task.entry}) died: ${err.message}`, { cause: err }));
          },
        };
        // A busy worker keeps the process alive; an idle one does not.
        slot.worker.ref();
        slot.worker.postMessage(
          { type: 'task', seq, taskId: task.id, entry: task.entry, key: handle?.key, input },
          [input.buffer as ArrayBuffer],
        );
      }
    };

    const signal = opts.signal;
    const onAbort = () => fail(cancelled(this.kind));
    if (signal?.aborted) throw cancelled(this.kind);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.freeWaiters.add(dispatch);
    try {
      dispatch();
      for (;;) {
        if (failure) throw failure;
        if (done.length > 0) {
          yield done.shift()!;
          continue;
        }
        if (exhausted && inflight.size === 0) break;
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      stopped = true;
      this.freeWaiters.delete(dispatch);
      signal?.removeEventListener('abort', onAbort);
      // Tasks still running are told to stop; their results are discarded.
      for (const [seq, { slot }] of inflight) if (!slot.dead) slot.worker.postMessage({ type: 'abort', seq });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private liveSlots(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  private idleSlot(): Slot | undefined {
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i].dead) this.slots.splice(i, 1);
    const idle = this.slots.find((s) => !s.job);
    if (idle) return idle;
    if (this.slots.length < this.workers) return this.spawn();
    return undefined;
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: {
        tsxApi: import.meta.resolve('tsx/esm/api'),
        body: pathToFileURL(siblingFile(import.meta.url, './thread-worker')).href,
      },
    });
    worker.unref();
    const slot: Slot = { worker, dead: false };
    for (const [key, value] of this.params) worker.postMessage({ type: 'params', key, value });
    worker.on('message', (m: Msg) => {
      if (m.type !== 'ready') slot.job?.onMessage(m);
    });
    const die = (err: Error) => {
      if (slot.dead) return;
      slot.dead = true;
      const job = slot.job;
      slot.job = undefined;
      job?.onDeath(err);
      for (const w of [...this.freeWaiters]) w();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private checkOpen(): void {
    if (this.closed) throw new NunatakError('EXEC', 'threads executor is closed');
  }
}
