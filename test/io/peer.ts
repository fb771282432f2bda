/** Helpers for I/O tests: run the /usr/bin/python3 netCDF4 peer, make temp dirs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const PEER = join(import.meta.dirname, 'peers', 'nc_peer.py');

/** Run python with args; returns stdout, throws with stderr on failure. */
export function py(args: string[], input?: string): string {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

export interface PeerVar {
  shape: number[];
  dims: string[];
  values: Array<number | null>;
  raw: number[] | null;
  attrs: Record<string, unknown>;
}

/** netCDF4-python's view of variables in a file (masked + unpacked values, NaN as null). */
export function peerDump(path: string, vars: string[]): Record<string, PeerVar> & { __times?: string[]; __globals: Record<string, unknown>; __dims: Record<string, [number, boolean]> } {
  return JSON.parse(py([PEER, 'dump', path, ...vars]));
}

export function tempDir(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'nunatak-io-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}
