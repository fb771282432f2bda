/**
 * Fixtures for the live-view tests: a small scan (nav 24 × 32, signal 4 × 4,
 * frame k = k + pixel/16 so per-frame sums are exact) and a server-sent-events
 * reader that collects a stream's events until `done` or `error`.
 */
import { MemoryDataset } from '../../src/udf/dataset/memory.ts';

export const NAV = [24, 32];
export const SIG = [4, 4];
export const PARTS = 6;

export function scan(): MemoryDataset {
  const n = NAV[0] * NAV[1];
  const s = SIG[0] * SIG[1];
  const data = new Float32Array(n * s);
  for (let k = 0; k < n; k++) for (let p = 0; p < s; p++) data[k * s + p] = k + p / 16;
  return new MemoryDataset({ data, navShape: NAV, sigShape: SIG });
}

/** Per-frame sum of scan() frame k (exact in float64: 16k + 7.5). */
export const frameSum = (k: number): number => 16 * k + 7.5;

export interface SseEvent {
  id: number;
  type: string;
  data: any;
}

/**
 * Open `url` as an event stream (resolves once the response headers are in,
 * i.e. the server has subscribed); `events` resolves at a `done` or `error`
 * event. `lastId` is sent as Last-Event-ID.
 */
export async function openSse(url: string, lastId?: number): Promise<{ events: Promise<SseEvent[]>; contentType: string | null }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal, headers: lastId === undefined ? {} : { 'last-event-id': String(lastId) } });
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return { events: collect(res.body, ac), contentType: res.headers.get('content-type') };
}

/** Read `url` as an event stream until `done` or `error`. */
export const readSse = async (url: string, lastId?: number): Promise<SseEvent[]> => (await openSse(url, lastId)).events;

async function collect(body: ReadableStream<Uint8Array>, ac: AbortController): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const dec = new TextDecoder();
  let buf = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const f: Record<string, string> = {};
        for (const line of frame.split('\n')) {
          const m = /^([a-z]+): ?(.*)$/.exec(line);
          if (m) f[m[1]] = m[2];
        }
        if (f.data === undefined) continue; // retry: / comment lines
        events.push({ id: Number(f.id), type: f.event, data: JSON.parse(f.data) });
        if (f.event === 'done' || f.event === 'error') return events;
      }
    }
  } finally {
    ac.abort();
  }
  return events;
}
