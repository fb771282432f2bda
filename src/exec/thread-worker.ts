/**
 * Body of one `threads` executor worker. Messages from the pool:
 *   {type:'params', key, value}  broadcast params (large arrays in shared memory)
 *   {type:'drop', key}           forget params
 *   {type:'task', seq, taskId, entry, key?, input}  run a task (input: V8 bytes)
 *   {type:'abort', seq}          abort the running task's signal
 * Replies: {type:'result'|'error'|'progress', seq, ...}.
 */
import { parentPort } from 'node:worker_threads';
import { markWorker } from './main-script.js';
import { runEncodedTask } from './run-task.js';
import { encode, errorToWire } from './wire.js';

markWorker();
const port = parentPort!;
const params = new Map<string, unknown>();
const running = new Map<number, AbortController>();

interface TaskMsg {
  type: 'task';
  seq: number;
  taskId: string;
  entry: string;
  key?: string;
  input: Uint8Array;
}

async function run(m: TaskMsg): Promise<void> {
  const ac = new AbortController();
  running.set(m.seq, ac);
  try {
    if (m.key !== undefined && !params.has(m.key)) throw new Error(`params '${m.key}' were never scattered to this worker`);
    const ctx = {
      params: m.key === undefined ? undefined : params.get(m.key),
      signal: ac.signal,
      progress: (msg: unknown) => {
        const payload = encode(msg, 'progress message');
        port.postMessage({ type: 'progress', seq: m.seq, payload }, [payload.buffer as ArrayBuffer]);
      },
    };
    const out = await runEncodedTask(m.entry, m.input, ctx);
    port.postMessage({ type: 'result', seq: m.seq, payload: out }, [out.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ type: 'error', seq: m.seq, error: errorToWire(e) });
  } finally {
    running.delete(m.seq);
  }
}

port.on('message', (m: { type: string; [k: string]: unknown }) => {
  if (m.type === 'params') params.set(m.key as string, m.value);
  else if (m.type === 'drop') params.delete(m.key as string);
  else if (m.type === 'abort') running.get(m.seq as number)?.abort();
  else if (m.type === 'task') void run(m as unknown as TaskMsg);
});
port.postMessage({ type: 'ready' });
