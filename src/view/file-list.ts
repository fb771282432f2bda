/**
 * The files `nunatak view` offers: the given files, and readable files inside
 * the given folders. A zarr store (a folder with .zgroup, .zarray or zarr.json)
 * is one file, never a folder to descend into.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileKind, isZarrStore } from '../io/index.js';
import { isInside, type Root } from './path-guard.js';
import type { FileEntry } from './protocol.js';

const MAX_DEPTH = 6;
const MAX_FILES = 5000;

function kindOf(p: string): FileEntry['kind'] | undefined {
  if (isZarrStore(p)) return 'zarr';
  try {
    const k = fileKind(p);
    return k === 'unknown' ? undefined : k;
  } catch {
    return undefined;
  }
}

/** Bytes of a file, or of the files in a zarr store folder (links not followed). */
function sizeOf(real: string): number {
  const st = lstatSync(real);
  if (!st.isDirectory()) return st.size;
  return readdirSync(real).reduce((a, n) => a + sizeOf(join(real, n)), 0);
}

/**
 * Every served file `classify` gives a kind to, in path order (given files,
 * then files inside given folders); symlinks leading out of their root are
 * left out.
 */
export function walkServed<K extends string>(roots: Root[], classify: (real: string) => K | undefined): Array<{ id: string; label: string; kind: K; size: number }> {
  const out: Array<{ id: string; label: string; kind: K; size: number }> = [];
  roots.forEach((root, k) => {
    if (!root.isDir || isZarrStore(root.real)) {
      const kind = classify(root.real);
      if (kind) out.push({ id: `${k}`, label: root.given, kind, size: sizeOf(root.real) });
      return;
    }
    const walk = (dir: string, rel: string[], depth: number) => {
      for (const name of readdirSync(dir).sort()) {
        if (out.length >= MAX_FILES || name.startsWith('.')) continue;
        let real: string;
        try {
          real = realpathSync(join(dir, name));
        } catch {
          continue; // dangling link
        }
        if (!isInside(root.real, real)) continue;
        const st = statSync(real);
        if (st.isDirectory() && !isZarrStore(real)) {
          if (depth < MAX_DEPTH) walk(join(dir, name), [...rel, name], depth + 1);
        } else {
          const kind = classify(real);
          if (kind) out.push({ id: [k, ...rel, name].join('/'), label: join(root.given, ...rel, name), kind, size: sizeOf(real) });
        }
      }
    };
    walk(root.real, [], 0);
  });
  return out;
}

/** Every servable data file, in path order. */
export function listFiles(roots: Root[]): FileEntry[] {
  return walkServed(roots, kindOf);
}
