/**
 * The `nunatak view` HTTP server: node:http on 127.0.0.1 by default, serving
 * the bundled page and read-only data routes for the given paths.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NunatakError } from '../core/errors.js';
import type { LiveHub } from './live/hub.js';
import { makeRoots } from './path-guard.js';
import { handle } from './routes.js';
import { SourceCache } from './sources/open.js';

/** Port `nunatak view` listens on unless told otherwise. */
export const DEFAULT_VIEW_PORT = 8765;

export interface ViewOptions {
  /** Files and folders to serve (nothing else is readable). */
  paths: string[];
  /** TCP port; 0 = any free port. Default 8765. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (this machine only). */
  host?: string;
  /** Folder of the built page; default build/view of this package. */
  assets?: URL;
  /** A run's event hub: the page at /live shows it as it runs. */
  live?: LiveHub;
}

export interface ViewServer {
  /** http://host:port/ */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const ASSETS = new URL('../../build/view/', import.meta.url);

/** Start the viewer; resolves once it listens. A taken port is a NunatakError('IO'). */
export async function startViewServer(o: ViewOptions): Promise<ViewServer> {
  if (o.paths.length === 0) throw new NunatakError('INPUT', 'nunatak view needs at least one file or folder', { hint: 'nunatak view outputs/run1 data/netcdf/x.nc' });
  const roots = makeRoots(o.paths);
  const assets = o.assets ?? ASSETS;
  if (!existsSync(new URL('index.html', assets))) {
    throw new NunatakError('DEPENDENCY', `the viewer page is not built (${fileURLToPath(assets)}index.html is missing)`, { hint: 'run npm run build:kernels in the nunatak checkout' });
  }
  const port = o.port ?? DEFAULT_VIEW_PORT;
  const host = o.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NunatakError('INPUT', `--port ${port} is not a port number`, { hint: 'use 0…65535; 0 picks any free port' });
  const cache = new SourceCache();
  const server = createServer((req, res) => void handle({ roots, cache, assets, live: o.live }, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new NunatakError('IO', `port ${port} is in use; pass --port 0 for any free port`, { cause: e }));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new NunatakError('IO', `cannot listen on host ${host} (${e.code})`, { hint: 'give an address of this machine, e.g. --host 0.0.0.0', cause: e }));
      else reject(e);
    });
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}/`,
    port: bound,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        cache.closeAll();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
