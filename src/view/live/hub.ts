/**
 * The in-process event hub of a live run: the run publishes events (started,
 * partition merged, epoch done, finished) and result snapshots; the viewer's
 * `/api/live` stream replays every event so far to each new subscriber, then
 * forwards new ones as they come. Everything stays in memory; only the latest
 * snapshot of each buffer is kept.
 */
import type { CoordMeta, VarMeta } from '../protocol.js';
import type { LiveEventData, LiveEventType } from './protocol.js';

/** One published event; `id` counts from 1 in publishing order. */
export interface LiveEvent<T extends LiveEventType = LiveEventType> {
  id: number;
  type: T;
  data: LiveEventData[T];
}

/** A result buffer as the viewer serves it: float32 values in C order over `meta.shape`. */
export interface LiveBuffer {
  meta: VarMeta;
  data: Float32Array;
}

type Listener = (e: LiveEvent) => void;

export class LiveHub {
  private readonly log: LiveEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly bufs = new Map<string, LiveBuffer>();
  /** Coordinate values of the buffers' dimensions (those that have them). */
  coords: Record<string, CoordMeta> = {};

  /** Record an event and hand it to every subscriber, synchronously. */
  publish<T extends LiveEventType>(type: T, data: LiveEventData[T]): LiveEvent<T> {
    const e: LiveEvent<T> = { id: this.log.length + 1, type, data };
    this.log.push(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  /**
   * Call `fn` with every event whose id is above `afterId` (all of them by
   * default), then with each new one; returns the unsubscribe function.
   */
  subscribe(fn: Listener, afterId = 0): () => void {
    for (const e of this.log) if (e.id > afterId) fn(e);
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Events so far, oldest first. */
  events(): readonly LiveEvent[] {
    return this.log;
  }

  /** True once `done` or `error` was published. */
  get finished(): boolean {
    const t = this.log.at(-1)?.type;
    return t === 'done' || t === 'error';
  }

  /** Replace the snapshot of buffer `b.meta.name`. */
  setBuffer(b: LiveBuffer): void {
    const n = b.meta.shape.reduce((a, x) => a * x, 1);
    if (b.data.length !== n) throw new Error(`live buffer '${b.meta.name}': ${b.data.length} values for shape [${b.meta.shape.join(', ')}]`);
    this.bufs.set(b.meta.name, b);
  }

  buffer(name: string): LiveBuffer | undefined {
    return this.bufs.get(name);
  }

  buffers(): LiveBuffer[] {
    return [...this.bufs.values()];
  }
}
