/**
 * Preparing output paths, for every face (sim run folders, `udf -o`,
 * `inspect -o`, `models run` outputs): each failure is one `[IO]` error that
 * names the path and the errno — a parent that is a regular file (ENOTDIR),
 * an output folder that is a file, a read-only or full filesystem (EROFS,
 * EACCES, ENOSPC), a pseudo-filesystem (procfs, sysfs) — instead of a stack
 * trace or Node's recursive mkdir spinning on /proc.
 *
 * Folders are made one level at a time, and a probe file is written and
 * removed, so a folder that cannot hold files is found before any work runs.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NunatakError } from './errors.js';

/** statfs magic numbers of filesystems that cannot hold user files. */
const PSEUDO_FS: Record<number, string> = { 0x9fa0: 'procfs', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x64626720: 'debugfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2' };

/** NunatakError('IO') naming `path`, the errno code and what was being done. */
export function ioError(path: string, action: string, e: unknown, hint?: string): NunatakError {
  if (e instanceof NunatakError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? 'error';
  const why = err?.message ? err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') : String(e);
  return new NunatakError('IO', `${action} ${path}: ${code} (${why})`, { cause: e, hint: hint ?? HINTS[code] });
}

const HINTS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a regular file; choose another output folder',
  EEXIST: 'something already exists there; choose another path',
  EACCES: 'no permission to write there; choose a folder you own',
  EPERM: 'no permission to write there; choose a folder you own',
  EROFS: 'the filesystem is read-only; choose a writable folder',
  ENOSPC: 'the disk is full; free space or choose another disk',
  EDQUOT: 'your disk quota is used up; free space or choose another disk',
  EFBIG: 'the file-size limit (ulimit -f) was reached',
};

/** The deepest part of `p` that exists (p itself when it exists). */
function existingAncestor(p: string): string {
  let a = p;
  while (!existsSync(a)) {
    const up = dirname(a);
    if (up === a) break;
    a = up;
  }
  return a;
}

export interface OutDirOptions {
  /** What the folder is for, in messages (e.g. 'run folder'). */
  what?: string;
  /**
   * A folder that already holds files: 'accept' (default) keeps them;
   * 'refuse' is an error unless `overwrite`, which then removes its contents
   * — but only of a folder `isOurs` recognises (a nunatak run folder).
   */
  existing?: 'accept' | 'refuse';
  overwrite?: boolean;
  /** True for a folder nunatak wrote (safe to empty with `overwrite`). */
  isOurs?: (dir: string) => boolean;
  /** Option to name in the refusal hint (default --overwrite). */
  overwriteFlag?: string;
}

/**
 * Makes sure `dir` is a writable folder (created when missing) and returns
 * its absolute path. Throws NunatakError('IO') naming the path and errno.
 */
export function prepareOutDir(dir: string, opts: OutDirOptions = {}): string {
  const what = opts.what ?? 'output folder';
  const abs = resolve(dir);
  const base = existingAncestor(abs);
  let st;
  try {
    st = statSync(base);
  } catch (e) {
    throw ioError(base, `cannot use ${what}`, e);
  }
  if (!st.isDirectory()) {
    const enotdir = Object.assign(new Error('not a directory'), { code: base === abs ? 'EEXIST' : 'ENOTDIR' });
    throw ioError(abs, `cannot use ${what}`, enotdir, base === abs ? `${abs} is a regular file, not a folder; choose another path` : `${base} is a regular file, so nothing can be created under it`);
  }
  const fs = pseudoFs(base);
  if (fs) throw new NunatakError('IO', `cannot use ${what} ${abs}: it is on ${fs}, which cannot hold files`, { hint: 'choose a folder on a real disk' });
  // one level at a time: Node's recursive mkdir loops forever on some pseudo filesystems
  const missing: string[] = [];
  for (let p = abs; p !== base; p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(p, `cannot create ${what}`, e);
    }
  }
  if (missing.length === 0 && opts.existing === 'refuse') refuseOrEmpty(abs, what, opts);
  probeWrite(abs, what);
  return abs;
}

/** Makes sure the folder of output file `file` exists and `file` is not a folder; returns its absolute path. */
export function prepareOutFile(file: string, opts: { what?: string } = {}): string {
  const abs = resolve(file);
  const what = opts.what ?? 'output file';
  const parent = dirname(abs);
  if (existsSync(parent) && !statSync(parent).isDirectory()) {
    throw ioError(abs, `cannot write ${what}`, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }), `${parent} is a regular file, so nothing can be created under it`);
  }
  prepareOutDir(parent, { what: `folder of the ${what}` });
  if (existsSync(abs) && statSync(abs).isDirectory()) {
    throw ioError(abs, `cannot write ${what}`, Object.assign(new Error('is a directory'), { code: 'EISDIR' }), 'give a file name, not a folder');
  }
  return abs;
}

function pseudoFs(dir: string): string | undefined {
  try {
    return PSEUDO_FS[statfsSync(dir).type];
  } catch {
    return undefined;
  }
}

function probeWrite(dir: string, what: string): void {
  const probe = join(dir, `.nunatak-write-test-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(probe, 'w');
    writeSync(fd, 'x');
  } catch (e) {
    throw ioError(dir, `cannot write into ${what}`, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(probe, { force: true });
  }
}

function refuseOrEmpty(dir: string, what: string, opts: OutDirOptions): void {
  const names = readdirSync(dir);
  if (names.length === 0) return;
  const flag = opts.overwriteFlag ?? '--overwrite';
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  if (!opts.overwrite) {
    throw new NunatakError('IO', `${what} ${dir} already holds ${names.length} file${names.length === 1 ? '' : 's'} (${shown})`, {
      hint: `choose a new folder, or pass ${flag} to replace an earlier nunatak run there (its files are removed first, so no stale outputs stay beside the new ones)`,
    });
  }
  if (!(opts.isOurs?.(dir) ?? false)) {
    throw new NunatakError('IO', `${what} ${dir} holds files (${shown}) but is not a nunatak run folder; ${flag} only replaces run folders`, {
      hint: 'choose a new or empty folder',
    });
  }
  for (const n of names) {
    try {
      rmSync(join(dir, n), { recursive: true, force: true });
    } catch (e) {
      throw ioError(join(dir, n), 'cannot remove (for --overwrite)', e);
    }
  }
}
