/**
 * Routes of the per-face views (GET only, every file through the path guard):
 *   /api/faces                 Face[] found in the served folders
 *   /api/table/<id>            a .csv / .txt table as TableBody
 *   /api/json/<id>             a .json file
 *   /api/image/<id>            a .png written by a run (emulator prediction maps)
 *   /api/verify/<id>?var=c&start=i&lead=k   verification map of a forecast (slab)
 *   /api/spread/<id>?var=c&start=i&lead=k   ensemble spread of a forecast (slab)
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { NunatakError } from '../../core/errors.js';
import type { Slab } from '../hyperslab.js';
import { resolveId, type Root } from '../path-guard.js';
import { detectFaces } from './detect.js';
import { readSpread, readVerification, type ForecastAt } from './forecast-reads.js';
import { readJsonFile, readTable } from './tables.js';

export interface FaceRouteIo {
  json(res: ServerResponse, body: unknown): void;
  slab(res: ServerResponse, s: Slab, extra?: Record<string, string>): void;
  /** Percent-decode a path tail (malformed → forbidden). */
  decode(tail: string): string;
}

function forecastAt(q: URLSearchParams, where: string): ForecastAt {
  const int = (k: string) => {
    const v = Number(q.get(k));
    if (q.get(k) === null || !Number.isInteger(v)) throw new NunatakError('INPUT', `${where}: query '${k}' must be an integer index`);
    return v;
  };
  return { channel: q.get('var') ?? '', start: int('start'), lead: int('lead') };
}

/** Serve `raw` when it is a face route; false when it is not one (the caller goes on). */
export async function faceRoute(roots: Root[], raw: string, q: URLSearchParams, res: ServerResponse, io: FaceRouteIo): Promise<boolean> {
  if (raw === '/api/faces') {
    io.json(res, await detectFaces(roots));
    return true;
  }
  const m = /^\/api\/(table|json|image|verify|spread)\/(.+)$/.exec(raw);
  if (!m) return false;
  const id = io.decode(m[2]);
  const real = resolveId(roots, id);
  switch (m[1]) {
    case 'table':
      io.json(res, readTable(real, id));
      break;
    case 'json':
      io.json(res, readJsonFile(real, id));
      break;
    case 'image':
      if (!/\.png$/i.test(real)) throw new NunatakError('INPUT', `${id}: only .png images are served`);
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      res.end(readFileSync(real));
      break;
    case 'verify': {
      const s = await readVerification(roots, real, id, forecastAt(q, id));
      io.slab(res, s, { 'x-nunatak-valid': s.valid });
      break;
    }
    default:
      io.slab(res, await readSpread(real, id, forecastAt(q, id)));
  }
  return true;
}
