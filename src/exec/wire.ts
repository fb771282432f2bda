/**
 * The one serialisation every executor uses for task inputs, results and
 * progress messages: V8's structured serialiser (typed arrays, Maps, Dates,
 * nested objects). `inline` round-trips through it too, so anything that would
 * break across threads or machines breaks there as well.
 */
import { deserialize, serialize } from 'node:v8';
import { NunatakError } from '../core/errors.js';

/** Serialise a value to bytes that own their ArrayBuffer (safe to transfer). */
export function encode(value: unknown, what = 'value'): Uint8Array {
  let buf: Buffer;
  try {
    buf = serialize(value);
  } catch (e) {
    throw new NunatakError('EXEC', `${what} cannot be serialised: ${(e as Error).message}`, {
      hint: 'task inputs, results, params and progress messages must be structured-clone data (no functions, class instances lose their methods)',
      cause: e,
    });
  }
  // A Buffer may be a view into a larger (pooled) ArrayBuffer; transfer needs its own.
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return new Uint8Array(buf.buffer);
  return new Uint8Array(buf);
}

export function decode<T = unknown>(bytes: Uint8Array): T {
  return deserialize(bytes) as T;
}

/** An error as it travels between threads or machines. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  hint?: string;
}

export function errorToWire(e: unknown): WireError {
  if (e instanceof Error) {
    const x = e as Error & { code?: unknown; hint?: unknown };
    return {
      name: x.name,
      message: x.message,
      stack: x.stack,
      code: typeof x.code === 'string' ? x.code : undefined,
      hint: typeof x.hint === 'string' ? x.hint : undefined,
    };
  }
  return { name: 'Error', message: String(e) };
}

/** Rebuild the task's error (original message and stack) for use as `cause`. */
export function wireToError(w: WireError): Error {
  const e = new Error(w.message) as Error & { code?: string; hint?: string };
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  if (w.code) e.code = w.code;
  if (w.hint) e.hint = w.hint;
  return e;
}

/** The caller-side error for a failed task: EXEC, with the original as cause. */
export function taskFailed(taskId: string, entry: string, w: WireError): NunatakError {
  return new NunatakError('EXEC', `task '${taskId}' (${entry}) failed: ${w.name === 'Error' ? '' : w.name + ': '}${w.message}`, {
    hint: w.hint ?? "the task's original stack is in error.cause.stack",
    cause: wireToError(w),
  });
}

export function cancelled(kind: string): NunatakError {
  return new NunatakError('CANCELLED', `${kind} executor run was cancelled`);
}
