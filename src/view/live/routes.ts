/**
 * Live routes of `nunatak view` (only while a run started with --view feeds a LiveHub):
 *   /api/live              server-sent events (text/event-stream): every event
 *                          so far, then new ones; `id:` lines let EventSource resume
 *   /api/live/meta         the result buffers and their coordinates (LiveMeta)
 *   /api/live/slab/<name>?at=i,j,…[&series=1]
 *                          a buffer's current values, as /api/slab serves a file's
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NunatakError } from '../../core/errors.js';
import { readMap, readSeries, type Slab } from '../hyperslab.js';
import type { LiveHub, LiveEvent } from './hub.js';
import { liveSource } from './memory-source.js';
import type { LiveMeta } from './protocol.js';

/** Comment line sent this often (ms) so proxies and browsers keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

/** One event in the SSE wire format (data is one JSON line, so one `data:` field). */
export function sseFrame(e: LiveEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

function stream(hub: LiveHub, req: IncomingMessage, res: ServerResponse): void {
  const last = Number(req.headers['last-event-id'] ?? 0);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const off = hub.subscribe((e) => res.write(sseFrame(e)), Number.isFinite(last) ? last : 0);
  const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  beat.unref();
  const stop = () => {
    clearInterval(beat);
    off();
  };
  req.on('close', stop);
  res.on('error', stop);
}

/** Answer a /api/live… request; `rest` is the path after /api/live. Returns JSON or a slab for the caller to send. */
export async function handleLive(
  hub: LiveHub | undefined,
  rest: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ json: unknown } | { slab: Slab } | undefined> {
  if (!hub) throw new NunatakError('NOT_FOUND', 'no live run: this viewer was started without one', { hint: 'nunatak udf run … --view, or nunatak emulator train … --view' });
  if (rest === '' || rest === '/') {
    stream(hub, req, res);
    return undefined;
  }
  if (rest === '/meta') return { json: { vars: hub.buffers().map((b) => b.meta), coords: hub.coords } satisfies LiveMeta };
  const m = /^\/slab\/([^/]+)$/.exec(rest);
  if (!m) throw new NunatakError('NOT_FOUND', `no route /api/live${rest}`);
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    throw new NunatakError('INPUT', `live run: '${m[1]}' is not a percent-encoded buffer name`);
  }
  const src = liveSource(hub);
  const v = src.vars.find((x) => x.name === name);
  if (!v) throw new NunatakError('NOT_FOUND', `live run: no buffer '${name}'`, { hint: `buffers: ${src.vars.map((x) => x.name).join(', ') || 'none yet'}` });
  const where = `live buffer ${name}`;
  if (q.get('series') === '1' || v.shape.length === 1) return { slab: await readSeries(src, v, where) };
  const at = q.get('at')?.split(',').map(Number) ?? v.shape.map(() => 0);
  return { slab: await readMap(src, v, at, where) };
}
