/**
 * The one executor seam. Every parallel workload in nunatak (UDF partitions,
 * sim multirun members, forecast ensemble members) is a list of tasks run
 * through an `Executor`, whether inline, on worker threads or on many machines.
 *
 * Functions cannot travel between threads or machines, so a task names its
 * function by a plugin entrypoint (`"./file.ts#fn"`, `"nunatak/udf/run-task.ts#run"`)
 * and carries a structured-clone-serialisable input (typed arrays allowed).
 */

/** One unit of work. */
export interface TaskSpec<I = unknown> {
  /** Unique within one `runTasks` call; results are reported with it. */
  id: string;
  /** Plugin entrypoint of a `TaskFunction`, resolved where the task runs. */
  entry: string;
  /** The task's own input (structured-clone serialisable). */
  input: I;
}

/** What a running task can see and use. */
export interface TaskContext<P = unknown> {
  /** The parameters broadcast once with `scatter` (undefined when none). */
  params: P;
  /** Send a progress message to the caller (any serialisable value). */
  progress(msg: unknown): void;
  /** Aborted when the caller cancels the run. */
  signal: AbortSignal;
}

/** A task function: the export an entrypoint points at. */
export type TaskFunction<I = unknown, R = unknown, P = unknown> = (input: I, ctx: TaskContext<P>) => R | Promise<R>;

/** Opaque handle to parameters broadcast to every worker once. */
export interface ScatterHandle {
  readonly key: string;
}

export interface RunOptions {
  /** Cancels queued and running tasks; the iterator then throws CANCELLED. */
  signal?: AbortSignal;
  /** Receives every `ctx.progress` message with the id of the task that sent it. */
  onProgress?: (taskId: string, msg: unknown) => void;
}

export interface TaskResult<I = unknown, R = unknown> {
  task: TaskSpec<I>;
  result: R;
}

export interface Executor {
  /** Executor kind, for logs: 'inline' | 'threads' | 'distributed'. */
  readonly kind: string;
  /** Number of tasks that can run at once. */
  readonly workers: number;
  /** Broadcast parameters once; tasks see them as `ctx.params`. */
  scatter<P>(params: P): Promise<ScatterHandle>;
  /**
   * Run tasks and yield `{task, result}` as each finishes (any order). A task
   * that throws makes the iterator throw a NunatakError('EXEC') whose message
   * and `cause` carry the task's original message and stack.
   */
  runTasks<I, R>(tasks: Iterable<TaskSpec<I>>, handle?: ScatterHandle, opts?: RunOptions): AsyncIterable<TaskResult<I, R>>;
  /** Optional: forget broadcast parameters (frees worker memory). */
  drop?(handle: ScatterHandle): Promise<void>;
  /** Release threads, connections and queues. */
  close(): Promise<void>;
}
