/**
 * HTTP routes of `nunatak view` (GET only; nothing is ever written):
 *   /                      the page;  /app.js, /app.css  its bundle
 *   /live, /api/live…      the live page and stream of a run started with --view (live/routes.ts)
 *   /api/files             served files (FileEntry[])
 *   /api/meta/<id>         dims, variables, attributes, coordinates (FileMeta)
 *   /api/slab/<id>?var=v&at=i,j,…[&series=1]
 *                          Float32 little-endian values, shape etc. in x-nunatak-* headers
 *   /api/faces, /api/table|json|image|verify|spread/<id>   per-face views (faces/face-routes.ts)
 *   /api/outlines, /api/outline/<shp id>?for=<file id>&var=v   outline overlays (outlines.ts)
 * Errors are JSON `{error: {code, message, hint}}` with a 4xx/5xx status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { NunatakError, isNunatakError } from '../core/errors.js';
import { faceRoute, type FaceRouteIo } from './faces/face-routes.js';
import { listFiles } from './file-list.js';
import { readMap, readSeries, type Slab } from './hyperslab.js';
import { listOutlines, outlineFor } from './outlines.js';
import { ForbiddenPath, resolveId, type Root } from './path-guard.js';
import { SLAB_HEADERS, type ErrorBody, type FileMeta } from './protocol.js';
import type { SourceCache } from './sources/open.js';
import type { LiveHub } from './live/hub.js';
import { handleLive } from './live/routes.js';

const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
  '/live': 'live.html',
  '/live.js': 'live.js',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export interface RouteContext {
  roots: Root[];
  cache: SourceCache;
  /** Folder of the built page (build/view). */
  assets: URL;
  /** The running UDF / training run shown at /live, if any. */
  live?: LiveHub;
}

const STATUS: Partial<Record<string, number>> = { NOT_FOUND: 404, INPUT: 400, SHAPE: 400, CONFIG: 400, IO: 422, DTYPE: 422 };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  let status = 500;
  let body: ErrorBody;
  if (e instanceof ForbiddenPath) {
    status = 403;
    body = { error: { code: 'FORBIDDEN', message: e.message, hint: 'only the paths given to nunatak view, and files inside given folders, are served' } };
  } else if (isNunatakError(e)) {
    status = STATUS[e.code] ?? 500;
    body = { error: { code: e.code, message: e.message, hint: e.hint } };
  } else {
    body = { error: { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) } };
  }
  if (!res.headersSent) sendJson(res, status, body);
  else res.destroy();
}

function sendSlab(res: ServerResponse, s: Slab, extra: Record<string, string> = {}): void {
  const buf = Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength);
  res.writeHead(200, {
    ...extra,
    'content-type': 'application/octet-stream',
    'cache-control': 'no-store',
    [SLAB_HEADERS.shape]: s.shape.join(','),
    [SLAB_HEADERS.stride]: s.stride.join(','),
    [SLAB_HEADERS.min]: String(s.min),
    [SLAB_HEADERS.max]: String(s.max),
  });
  res.end(buf);
}

const FACE_IO: FaceRouteIo = { json: (res, body) => sendJson(res, 200, body), slab: sendSlab, decode: (t) => decodeTail(t) };

/** Percent-decode a path tail; a malformed escape is refused like an escape attempt. */
function decodeTail(tail: string): string {
  try {
    return decodeURIComponent(tail);
  } catch {
    throw new ForbiddenPath(tail);
  }
}

async function meta(ctx: RouteContext, id: string): Promise<FileMeta> {
  const src = await ctx.cache.get(resolveId(ctx.roots, id));
  return { id, kind: src.kind, format: src.format, attrs: src.attrs, dims: src.dims, vars: src.vars, coords: src.coords() };
}

async function slab(ctx: RouteContext, id: string, q: URLSearchParams): Promise<Slab> {
  const src = await ctx.cache.get(resolveId(ctx.roots, id));
  const name = q.get('var') ?? '';
  const v = src.vars.find((x) => x.name === name);
  if (!v) throw new NunatakError('NOT_FOUND', `${id}: no variable '${name}'`, { hint: `variables: ${src.vars.map((x) => x.name).join(', ')}` });
  if (q.get('series') === '1' || v.shape.length === 1) return readSeries(src, v, id);
  const atText = q.get('at');
  const at = atText ? atText.split(',').map(Number) : v.shape.map(() => 0);
  return readMap(src, v, at, id);
}

/** Handle one request; never throws (errors become JSON responses). */
export async function handle(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'METHOD', message: `${req.method} is not allowed: nunatak view is read-only` } });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    // the raw path, not url.pathname: URL() would resolve '..' before the guard sees it
    const raw = (req.url ?? '/').split('?')[0];
    if (raw === '/api/live' || raw.startsWith('/api/live/')) {
      const r = await handleLive(ctx.live, raw.slice('/api/live'.length), url.searchParams, req, res);
      if (r) return 'slab' in r ? sendSlab(res, r.slab) : sendJson(res, 200, r.json);
      return;
    }
    const asset = ASSETS[raw];
    if (asset) {
      const body = readFileSync(new URL(asset, ctx.assets));
      res.writeHead(200, { 'content-type': TYPES[asset.split('.').pop()!], 'cache-control': 'no-cache' });
      res.end(body);
      return;
    }
    if (raw === '/api/files') return sendJson(res, 200, listFiles(ctx.roots));
    if (raw === '/api/outlines') return sendJson(res, 200, listOutlines(ctx.roots));
    const o = /^\/api\/outline\/(.+)$/.exec(raw);
    if (o) return sendJson(res, 200, await outlineFor(ctx.roots, ctx.cache, decodeTail(o[1]), url.searchParams.get('for') ?? '', url.searchParams.get('var') ?? ''));
    if (await faceRoute(ctx.roots, raw, url.searchParams, res, FACE_IO)) return;
    const m = /^\/api\/(meta|slab)\/(.+)$/.exec(raw);
    if (m) {
      const id = decodeTail(m[2]);
      if (m[1] === 'meta') return sendJson(res, 200, await meta(ctx, id));
      return sendSlab(res, await slab(ctx, id, url.searchParams));
    }
    if (raw.includes('..') || /%2e/i.test(raw)) throw new ForbiddenPath(raw);
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${raw}` } });
  } catch (e) {
    sendError(res, e);
  }
}
