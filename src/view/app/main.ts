/**
 * The `nunatak view` page: pick a file and a variable; maps get sliders for
 * their other dimensions, colormap and range controls and a hover readout;
 * 1-D variables get a line plot. State for browser tests is on window.__view.
 */
import { colormapNames } from '../../io/plot/colormap.js';
import type { FileEntry, FileMeta, VarMeta } from '../protocol.js';
import { ApiError, getJson, getSlab, idPath, type SlabData } from './api.js';
import { readoutAt, type HoverState } from './hover.js';
import { closeFace, loadFaces } from './faces/index.js';
import { drawColorbar, drawMap } from './map.js';
import { drawOutline, outlinesFor, type Rings } from './outline.js';
import { drawSeries } from './plot.js';
import { markOn, showAttrs, showFiles, showVars } from './sidebar.js';
import { buildSliders } from './sliders.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface ViewState {
  meta?: FileMeta;
  v?: VarMeta;
  at: number[];
  slab?: SlabData;
  hover?: HoverState;
  /** ms since navigation start when the first map was painted. */
  firstPaint?: number;
  /** Increments on every finished draw (tests wait on it). */
  draws: number;
  /** Outline rings in the shown variable's CRS (served shapefiles), and the vertices last drawn (0 when toggled off). */
  outline?: { rings: Rings; drawn: number };
}
const state: ViewState = { at: [], draws: 0 };
(window as unknown as { __view: ViewState }).__view = state;

function showError(e: unknown): void {
  const box = $('error');
  box.hidden = false;
  box.textContent = e instanceof ApiError ? `${e.code}: ${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}` : String((e as Error)?.message ?? e);
}

const clearError = () => ($('error').hidden = true);

/** y coordinate increasing with the row index → draw flipped so north is up. */
function flipY(meta: FileMeta, v: VarMeta): boolean {
  const y = v.map ? meta.coords[v.dims[v.map.y]]?.values : undefined;
  return !!y && y.length > 1 && y[y.length - 1] > y[0];
}

function paint(): void {
  const { meta, v, slab } = state;
  if (!meta || !v || !slab || !v.map) return;
  const cmap = $<HTMLSelectElement>('cmap').value;
  const vmin = Number($<HTMLInputElement>('vmin').value);
  const vmax = Number($<HTMLInputElement>('vmax').value);
  const flip = flipY(meta, v);
  const [ny, nx] = slab.shape;
  drawMap($<HTMLCanvasElement>('map'), slab.data, ny, nx, cmap, vmin, vmax, flip);
  drawColorbar($<HTMLCanvasElement>('colorbar'), cmap);
  $('cbar-min').textContent = String(vmin);
  $('cbar-max').textContent = String(vmax);
  $('cbar-units').textContent = typeof v.attrs.units === 'string' ? v.attrs.units : '';
  state.hover = { v, data: slab.data, ny, nx, stride: slab.stride, flipY: flip, coords: meta.coords };
  paintOutline();
  if (state.firstPaint === undefined) state.firstPaint = performance.now();
  state.draws++;
}

function paintOutline(): void {
  const { meta, v, slab, outline } = state;
  const map = $<HTMLCanvasElement>('map');
  const g = meta && v?.map && slab ? { v, coords: meta.coords, ny: slab.shape[0], nx: slab.shape[1], stride: slab.stride, flipY: flipY(meta, v) } : undefined;
  const drawn = g ? drawOutline($<HTMLCanvasElement>('outline'), map.clientWidth, map.clientHeight, outline?.rings ?? [], g, $<HTMLInputElement>('outline-on').checked) : 0;
  if (outline) outline.drawn = drawn;
}

/** Fetch the served outlines in `v`'s CRS (none without a CRS); the toggle shows only when there are some. */
async function loadOutline(meta: FileMeta, v: VarMeta): Promise<void> {
  state.outline = undefined;
  $('outline-toggle').hidden = true;
  paintOutline();
  try {
    const rings = await outlinesFor(meta.id, v);
    if (state.v !== v || rings.length === 0) return;
    state.outline = { rings, drawn: 0 };
    $('outline-toggle').hidden = false;
    paintOutline();
  } catch (e) {
    showError(e);
  }
}

function setRange(s: SlabData): void {
  $<HTMLInputElement>('vmin').value = String(Number.isFinite(s.min) ? s.min : 0);
  $<HTMLInputElement>('vmax').value = String(Number.isFinite(s.max) ? s.max : 1);
}

async function loadSlab(resetRange: boolean): Promise<void> {
  const { meta, v } = state;
  if (!meta || !v) return;
  try {
    const q = new URLSearchParams({ var: v.name, at: state.at.join(',') });
    const s = await getSlab(`/api/slab/${idPath(meta.id)}?${q}`);
    if (state.v !== v) return; // another variable was chosen meanwhile
    state.slab = s;
    clearError();
    if (v.map) {
      if (resetRange) setRange(s);
      paint();
    } else {
      drawSeries($('plot'), v, s.data, s.stride[0], meta.coords);
      state.draws++;
    }
  } catch (e) {
    showError(e);
  }
}

function pickVar(v: VarMeta): void {
  const meta = state.meta!;
  state.v = v;
  state.at = v.shape.map(() => 0);
  $('title').textContent = `${v.name}${typeof v.attrs.long_name === 'string' ? ` — ${v.attrs.long_name}` : ''}`;
  showAttrs($('attrs'), { ...v.attrs, ...(v.crs ? { crs: v.crs.label } : {}) });
  $('mapwrap').hidden = !v.map;
  $('plot').hidden = !!v.map;
  $('readout').textContent = '';
  buildSliders($('sliders'), v, meta.coords, state.at, () => void loadSlab(false));
  void loadSlab(true);
  void loadOutline(meta, v);
}

/** The variable to show first: a map with the most dims (a time series of maps), else any. */
function firstVar(meta: FileMeta): VarMeta | undefined {
  const coords = new Set(Object.keys(meta.coords));
  const data = meta.vars.filter((v) => !coords.has(v.name) && v.shape.length > 0);
  return [...data].sort((a, b) => (b.map ? 1 : 0) - (a.map ? 1 : 0) || b.shape.length - a.shape.length)[0] ?? meta.vars[0];
}

async function pickFile(f: FileEntry): Promise<void> {
  closeFace();
  try {
    const meta = await getJson<FileMeta>(`/api/meta/${idPath(f.id)}`);
    clearError();
    state.meta = meta;
    showVars($('vars'), meta.vars, (v, li) => {
      markOn(li);
      pickVar(v);
    });
    const v = firstVar(meta);
    if (v) {
      markOn($('vars').children[meta.vars.indexOf(v)]);
      pickVar(v);
    }
  } catch (e) {
    state.meta = undefined;
    state.v = undefined;
    $('vars').replaceChildren();
    $('attrs').replaceChildren();
    $('mapwrap').hidden = true;
    $('plot').hidden = true;
    $('sliders').replaceChildren();
    showError(e);
  }
}

function setupControls(): void {
  const sel = $<HTMLSelectElement>('cmap');
  for (const n of colormapNames()) sel.append(new Option(n, n, n === 'viridis', n === 'viridis'));
  sel.addEventListener('change', paint);
  $('vmin').addEventListener('change', paint);
  $('vmax').addEventListener('change', paint);
  $('outline-on').addEventListener('change', paintOutline);
  $('reset').addEventListener('click', () => {
    if (state.slab) setRange(state.slab);
    paint();
  });
  const canvas = $<HTMLCanvasElement>('map');
  canvas.addEventListener('mousemove', (ev) => {
    if (!state.hover) return;
    const r = canvas.getBoundingClientRect();
    const cx = Math.floor(((ev.clientX - r.left) / r.width) * canvas.width);
    const cy = Math.floor(((ev.clientY - r.top) / r.height) * canvas.height);
    $('readout').textContent = readoutAt(state.hover, cx, cy);
  });
}

async function start(): Promise<void> {
  setupControls();
  try {
    const files = await getJson<FileEntry[]>('/api/files');
    showFiles($('files'), files, (f, li) => {
      markOn(li);
      void pickFile(f);
    });
    if (files.length === 0) throw new Error('no readable files (NetCDF, GeoTIFF, .npy) in the served paths');
    markOn($('files').firstElementChild);
    await pickFile(files[0]);
    // a folder a nunatak face wrote opens in its view (the file list stays one click away)
    await loadFaces(showError);
  } catch (e) {
    showError(e);
  }
}

void start();
