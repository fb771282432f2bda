/**
 * Runs one task where it lands (inline, in a worker thread, or in a
 * distributed worker): load the entry function, decode the input, call it,
 * encode the result.
 */
import type { TaskContext, TaskFunction } from './contract.js';
import { loadFunction } from './load-entry.js';
import { decode, encode } from './wire.js';

export async function runEncodedTask(
  entry: string,
  input: Uint8Array,
  ctx: TaskContext,
): Promise<Uint8Array> {
  const fn = await loadFunction<TaskFunction>(entry);
  const value = decode(input);
  const result = await fn(value, ctx);
  return encode(result, `result of '${entry}'`);
}
