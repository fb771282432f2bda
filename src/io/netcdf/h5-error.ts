/**
 * HDF5 failures as one clear `[IO]` error. h5wasm's throwing error handler
 * (switched on in h5.ts) turns an HDF5 error stack into an Error whose text is
 * the whole stack (~40 lines); the useful part is the OS error of the failed
 * system call ("error message = 'No space left on device'") or else the
 * innermost "minor:" line.
 */
import { NunatakError } from '../../core/errors.js';

/** The one-line cause inside an h5wasm / HDF5 error text. */
export function h5Reason(e: unknown): string {
  const text = String((e as Error)?.message ?? e);
  const os = /errno = (\d+), error message = '([^']+)'/.exec(text);
  if (os) return `${os[2]} (errno ${os[1]})`;
  const minors = [...text.matchAll(/minor: (.+)/g)].map((m) => m[1].trim());
  if (minors.length > 0) return minors[minors.length - 1];
  return text.split('\n')[0].replace(/^HDF5-DIAG: /, '');
}

/** NunatakError('IO') for an HDF5 call on `path` that failed while doing `action`. */
export function h5IoError(path: string, action: string, e: unknown, hint?: string): NunatakError {
  if (e instanceof NunatakError) return e;
  return new NunatakError('IO', `${path}: ${action} failed: ${h5Reason(e)}`, { cause: e, hint });
}
