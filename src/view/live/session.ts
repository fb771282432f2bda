/**
 * `--view` of long-running commands (udf run, emulator train): start the
 * viewer with a LiveHub next to the run, print the live page's address, and
 * keep serving after the run until Ctrl-C so the finished result stays visible.
 */
import { emit } from '../../cli/output.js';
import { NunatakError } from '../../core/errors.js';
import { DEFAULT_VIEW_PORT, startViewServer, type ViewServer } from '../server.js';
import { LiveHub } from './hub.js';

/** The --view flags as commander gives them. */
export interface LiveViewFlags {
  view?: boolean;
  /** TCP port (text from the command line); default 8765, 0 = any free port. */
  viewPort?: string | number;
  /** Interface to bind; default 127.0.0.1. */
  viewHost?: string;
}

export interface LiveSession {
  hub: LiveHub;
  server: ViewServer;
  /** Address of the live page (<server>/live). */
  url: string;
  /** Print where the page is and serve until SIGINT / SIGTERM, then close. */
  hold(): Promise<void>;
}

/** Start the viewer for a run (serving `paths` too, e.g. the output folder); undefined without --view. */
export async function openLiveView(flags: LiveViewFlags, paths: string[], what: string): Promise<LiveSession | undefined> {
  if (!flags.view) return undefined;
  const port = flags.viewPort === undefined ? DEFAULT_VIEW_PORT : Number(flags.viewPort);
  const hub = new LiveHub();
  const server = await startViewServer({ paths, port, host: flags.viewHost, live: hub }).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).cause && /is in use/.test((e as Error).message)) throw new NunatakError('IO', `--view-port ${port} is in use; pass --view-port 0 for any free port`, { cause: e });
    throw e;
  });
  const url = `${server.url}live`;
  emit({ event: 'view', url, files: server.url }, `nunatak view: ${url}  (live ${what}; files at ${server.url})`);
  return {
    hub,
    server,
    url,
    async hold() {
      emit({ event: 'view-hold', url }, `${what} finished; still serving ${url} — Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    },
  };
}
