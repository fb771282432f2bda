// Starts a throwaway redis-server on 127.0.0.1 with a random free port, and
// nunatak worker processes against it; both are stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

async function waitPort(port: number, ms: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const c = connect(port, '127.0.0.1', () => {
        c.end();
        res(true);
      });
      c.on('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() - t0 > ms) throw new Error(`redis-server did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** `kill -9`: Redis dies without a goodbye to its clients. */
  kill(): Promise<void>;
}

/** A redis-server without persistence on `port` (default: a free one); restarting on the same port gives an empty Redis. */
export async function startRedis(port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitPort(port, 5000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stopProcess(proc),
    kill: () => stopProcess(proc, 'SIGKILL'),
  };
}

export function stopProcess(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((res) => {
    if (p.exitCode !== null || p.signalCode !== null) return res();
    p.once('exit', () => res());
    p.kill(signal);
  });
}

const BIN = fileURLToPath(new URL('../../bin/nunatak.js', import.meta.url));

/** A `nunatak worker` process; resolves once it is listening. `log` collects its stderr. */
export async function startWorkerProcess(url: string, queue: string, extra: string[] = [], log?: string[]): Promise<ChildProcess> {
  const p = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--queue', queue, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NUNATAK_QUIET: '' },
  });
  await new Promise<void>((res, rej) => {
    let err = '';
    p.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      log?.push(b.toString());
      if (err.includes('listening on')) res();
    });
    p.once('exit', (c) => rej(new Error(`worker exited (${c}): ${err}`)));
  });
  return p;
}
