/**
 * The live page (/live) of a run started with --view: subscribes to
 * /api/live with EventSource; a UDF run shows a progress bar and the chosen
 * result buffer as a map (or series) that fills in per merged partition; an
 * emulator run shows train / validation loss per epoch growing live.
 * State for browser tests is on window.__live.
 */
import type { VarMeta } from '../protocol.js';
import type { LiveDone, LiveEpoch, LiveError, LiveMerge, LiveMeta, LiveRun } from '../live/protocol.js';
import { ApiError, getJson, getSlab, type SlabData } from './api.js';
import { LearningCurve } from './curve.js';
import { attachHover, type HoverState } from './hover.js';
import { drawColorbar, drawMap } from './map.js';
import { drawSeries } from './plot.js';
import { SampleMaps, type SampleMapsRecord } from './live-maps.js';
import { buildSliders } from './sliders.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface LiveState {
  status: 'connecting' | 'waiting' | 'running' | 'done' | 'error';
  kind?: LiveRun['kind'];
  /** Progress (0…1) after every event, in arrival order. */
  progress: number[];
  /** Event ids in arrival order (tests check the order). */
  ids: number[];
  buffers: VarMeta[];
  v?: VarMeta;
  at: number[];
  slab?: SlabData;
  hover?: HoverState;
  /** Finished slab draws; `finalDraws` counts those started after `done`. */
  draws: number;
  finalDraws: number;
  /** Learning-curve points drawn, and the curve's data (emulator runs). */
  curvePoints: number;
  curve?: { epochs: number[]; loss: number[]; valLoss: Array<number | null> };
  /** The validation sample's TRUE | PRED | difference maps as last drawn (emulator runs). */
  maps?: SampleMapsRecord;
}
const state: LiveState = { status: 'connecting', progress: [], ids: [], buffers: [], at: [], draws: 0, finalDraws: 0, curvePoints: 0 };
(window as unknown as { __live: LiveState }).__live = state;

let curve: LearningCurve | undefined;
let sampleMaps: SampleMaps | undefined;
let coords: LiveMeta['coords'] = {};

function setStatus(s: LiveState['status'], text?: string): void {
  state.status = s;
  $('status').textContent = text ?? s;
}

function showError(e: unknown): void {
  const box = $('error');
  box.hidden = false;
  box.textContent = e instanceof ApiError ? `${e.code}: ${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}` : String((e as Error)?.message ?? e);
}

function setProgress(p: number, text: string): void {
  state.progress.push(p);
  $<HTMLProgressElement>('progress').value = p;
  $('progress-text').textContent = `${(100 * p).toFixed(p === 1 ? 0 : 1)} %  ${text}`;
}

/** y coordinate increasing with the row index → draw flipped so north is up. */
function flipY(v: VarMeta): boolean {
  const y = v.map ? coords[v.dims[v.map.y]]?.values : undefined;
  return !!y && y.length > 1 && y[y.length - 1] > y[0];
}

// One slab fetch at a time; events arriving meanwhile mark it dirty so the
// latest snapshot is fetched next (intermediate ones may be skipped).
let fetching = false;
let dirty = false;

async function refresh(): Promise<void> {
  if (fetching) {
    dirty = true;
    return;
  }
  const v = state.v;
  if (!v) return;
  fetching = true;
  dirty = false;
  const final = state.status === 'done';
  try {
    const q = new URLSearchParams({ at: state.at.join(',') });
    const s = await getSlab(`/api/live/slab/${encodeURIComponent(v.name)}?${q}`);
    if (state.v === v) draw(v, s);
    if (final) state.finalDraws++;
  } catch (e) {
    showError(e);
  } finally {
    fetching = false;
    if (dirty) void refresh();
  }
}

function draw(v: VarMeta, s: SlabData): void {
  state.slab = s;
  if (v.map) {
    const [ny, nx] = s.shape;
    // range of the values merged so far (NaN = not merged yet, transparent)
    const [lo, hi] = Number.isFinite(s.min) ? [s.min, s.max] : [0, 1];
    const flip = flipY(v);
    drawMap($<HTMLCanvasElement>('map'), s.data, ny, nx, 'viridis', lo, hi, flip);
    drawColorbar($<HTMLCanvasElement>('colorbar'), 'viridis');
    $('cbar-min').textContent = String(lo);
    $('cbar-max').textContent = String(hi);
    $('cbar-units').textContent = typeof v.attrs.units === 'string' ? v.attrs.units : '';
    state.hover = { v, data: s.data, ny, nx, stride: s.stride, flipY: flip, coords };
  } else {
    drawSeries($('plot'), v, s.data, s.stride[0], coords);
  }
  state.draws++;
}

function pickBuffer(v: VarMeta): void {
  state.v = v;
  state.at = v.shape.map(() => 0);
  for (const b of $('buffers').children) b.classList.toggle('on', b.textContent === v.name);
  $('mapwrap').hidden = !v.map;
  $('plot').hidden = !!v.map;
  $('readout').textContent = '';
  buildSliders($('sliders'), v, coords, state.at, () => void refresh());
  void refresh();
}

/** The buffer list changes only when the run declares new buffers (in practice once). */
async function updateBuffers(buffers: VarMeta[]): Promise<void> {
  const names = (bs: VarMeta[]) => bs.map((b) => b.name).join('\n');
  if (names(buffers) === names(state.buffers)) {
    void refresh();
    return;
  }
  state.buffers = buffers;
  coords = (await getJson<LiveMeta>('/api/live/meta')).coords;
  $('buffers').replaceChildren(
    ...buffers.map((b) => {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = b.name;
      btn.title = `${b.dims.join(', ')} [${b.shape.join(' × ')}]${typeof b.attrs.long_name === 'string' ? ` — ${b.attrs.long_name}` : ''}`;
      btn.addEventListener('click', () => pickBuffer(b));
      return btn;
    }),
  );
  // a map first: what fills in partition by partition
  pickBuffer(buffers.find((b) => b.map && b.attrs.nunatak_buffer_kind === 'nav') ?? buffers.find((b) => b.map) ?? buffers[0]);
}

function on<T>(es: EventSource, type: string, fn: (data: T) => void): void {
  es.addEventListener(type, (ev) => {
    const m = ev as MessageEvent<string>;
    state.ids.push(Number(m.lastEventId));
    fn(JSON.parse(m.data) as T);
  });
}

function start(): void {
  attachHover($<HTMLCanvasElement>('map'), $('readout'), () => state.hover);
  const es = new EventSource('/api/live');
  es.onopen = () => {
    if (state.status === 'connecting') setStatus('waiting', 'waiting for the run…');
  };
  es.onerror = () => {
    if (state.status !== 'done' && state.status !== 'error') setStatus(state.status, 'connection lost — retrying…');
  };
  on<LiveRun>(es, 'run', (r) => {
    state.kind = r.kind;
    setStatus('running');
    $('run-title').textContent = r.title;
    $('udf').hidden = r.kind !== 'udf';
    $('emulator').hidden = r.kind !== 'emulator';
    if (r.kind === 'emulator') {
      curve = new LearningCurve($('curve'));
      state.curve = curve;
      sampleMaps = new SampleMaps($('emu-maps'), showError);
      state.maps = sampleMaps.record;
    }
    setProgress(0, r.kind === 'udf' ? `0 / ${r.frames} frames` : `0 / ${r.epochs} epochs`);
  });
  on<LiveMerge>(es, 'merge', (m) => {
    setProgress(m.progress, `${m.merged} / ${m.partitions} partitions, ${m.frames} / ${m.framesTotal} frames`);
    void updateBuffers(m.buffers);
  });
  on<LiveEpoch>(es, 'epoch', (e) => {
    setProgress(e.progress, `epoch ${e.epoch} / ${e.epochs}`);
    curve?.add(e.epoch, e.loss, e.val_loss);
    state.curvePoints = curve?.epochs.length ?? 0;
    if (e.buffers?.length) sampleMaps?.update(e.buffers).catch(showError);
    $('epoch-text').textContent = `epoch ${e.epoch}: loss ${e.loss.toPrecision(4)}, val_loss ${e.val_loss === null ? '–' : e.val_loss.toPrecision(4)} (${e.seconds.toFixed(2)} s)`;
  });
  on<LiveDone>(es, 'done', (d) => {
    es.close(); // nothing follows `done`; no reconnect loop once the run ends
    setStatus('done', `done in ${d.seconds.toFixed(1)} s${d.stoppedOn ? ` (stopped on ${d.stoppedOn})` : ''}`);
    const last = $('progress-text').textContent?.replace(/^[\d.]+ %\s*/, '') ?? '';
    setProgress(1, last);
    if (d.buffers) void updateBuffers(d.buffers);
  });
  on<LiveError>(es, 'error', (e) => {
    es.close();
    setStatus('error', 'failed');
    showError(new Error(`${e.code ? `${e.code}: ` : ''}${e.message}`));
  });
}

start();
